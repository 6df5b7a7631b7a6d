import { definePermission, isSignedIn, isStaff } from '../../access/permissions.js';

export const profilePolicy = {
  read: definePermission('profile.read', 'profile:read', isSignedIn),
  update: definePermission('profile.update', 'profile:write', isSignedIn),
  changePassword: definePermission('profile.password', 'profile:write', isSignedIn, {
    sessionOnly: true,
  }),
  signOut: definePermission('session.end', 'profile:write', isSignedIn, { sessionOnly: true }),
  /** Tokens mint only from a browser session: a leaked token cannot breed more. */
  manageTokens: definePermission('tokens.manage', 'profile:write', isStaff, { sessionOnly: true }),
};
