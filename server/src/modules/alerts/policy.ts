import { definePermission, hasAnyRole } from '../../access/permissions.js';

/** Alert channels hold robot keys and secrets: administrators only. */
export const alertsPolicy = {
  read: definePermission('alerts.read', 'alerts:read', hasAnyRole('admin')),
  manage: definePermission('alerts.manage', 'alerts:write', hasAnyRole('admin')),
};
