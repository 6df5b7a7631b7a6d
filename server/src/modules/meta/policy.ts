import { definePermission, isSignedIn } from '../../access/permissions.js';

export const metaPolicy = {
  read: definePermission('meta.read', 'profile:read', isSignedIn),
};
