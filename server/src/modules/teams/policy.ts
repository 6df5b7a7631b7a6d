import { definePermission, hasAnyRole, isStaff } from '../../access/permissions.js';

export const teamsPolicy = {
  list: definePermission('teams.list', 'teams:read', isStaff),
  create: definePermission('teams.create', 'teams:write', hasAnyRole('admin')),
  update: definePermission('teams.update', 'teams:write', hasAnyRole('admin')),
};
