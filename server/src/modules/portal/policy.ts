import { definePermission, hasAnyRole } from '../../access/permissions.js';

/**
 * Staff-side permissions of the portal. The customer-side routes are `public: true` and check
 * the portal session (kefu_portal cookie + CSRF) in a route hook: customers are not staff users.
 */
export const portalPolicy = {
  readSettings: definePermission('portal.settings.read', 'portal:read', hasAnyRole('admin')),
  updateSettings: definePermission('portal.settings.update', 'portal:write', hasAnyRole('admin')),
};
