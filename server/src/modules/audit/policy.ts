import { definePermission, hasAnyRole } from '../../access/permissions.js';

export const auditPolicy = {
  list: definePermission('audit.list', 'audit:read', hasAnyRole('admin')),
  export: definePermission('audit.export', 'audit:read', hasAnyRole('admin')),
};
