import { definePermission, hasAnyRole } from '../../access/permissions.js';

/** The outbox holds customers' addresses: administrators only. */
export const mailPolicy = {
  read: definePermission('mail.read', 'mail:read', hasAnyRole('admin')),
  retry: definePermission('mail.retry', 'mail:write', hasAnyRole('admin')),
};
