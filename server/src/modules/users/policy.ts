import { definePermission, hasAnyRole } from '../../access/permissions.js';

export const usersPolicy = {
  list: definePermission('users.list', 'users:read', hasAnyRole('admin', 'supervisor')),
  read: definePermission('users.read', 'users:read', hasAnyRole('admin', 'supervisor')),
  create: definePermission('users.create', 'users:write', hasAnyRole('admin')),
  update: definePermission('users.update', 'users:write', hasAnyRole('admin')),
};
