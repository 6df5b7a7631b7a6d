import { definePermission, hasAnyRole, isStaff } from '../../access/permissions.js';
import type { Role } from '../../access/roles.js';
import { EDITOR_ROLES } from '../kb/rules/workflow.js';
import { ticketsPolicy } from '../tickets/policy.js';

/**
 * Who may use attachments. Ticket files follow the ticket: whoever may reply may upload,
 * whoever may read a ticket may list and download its files (the record rule — specialists see
 * only their tickets — is the tickets area's `mayView`, applied by the service). Article images
 * are uploaded by knowledge editors; who may view them follows the article's audience.
 */
export const attachmentsPolicy = {
  upload: definePermission('attachments.upload', 'tickets:write', (a) =>
    ticketsPolicy.reply.allow(a),
  ),
  read: definePermission('attachments.read', 'tickets:read', (a) => ticketsPolicy.read.allow(a)),
  kbImageUpload: definePermission(
    'kb.images.upload',
    'kb:write',
    hasAnyRole(...(EDITOR_ROLES as Role[])),
  ),
  settingsRead: definePermission('attachmentSettings.read', 'tickets:read', isStaff),
  settingsManage: definePermission(
    'attachmentSettings.manage',
    'tickets:admin',
    hasAnyRole('admin'),
  ),
};
