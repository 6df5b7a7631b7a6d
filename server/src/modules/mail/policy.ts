import { definePermission, hasAnyRole } from '../../access/permissions.js';

/** The outbox holds customers' addresses: administrators only. */
export const mailPolicy = {
  read: definePermission('mail.read', 'mail:read', hasAnyRole('admin')),
  retry: definePermission('mail.retry', 'mail:write', hasAnyRole('admin', 'supervisor')),
  /** Replies that could not be delivered by mail: see them, send again or discard. */
  deadLetters: definePermission(
    'mail.dead_letters',
    'mail:read',
    hasAnyRole('admin', 'supervisor'),
  ),
  /** Whether a ticket's replies reached the customer by mail (record rule: may view ticket). */
  deliveries: definePermission(
    'mail.deliveries',
    'mail:read',
    hasAnyRole('admin', 'supervisor', 'agent'),
  ),
  templates: definePermission('mail.templates', 'mail:write', hasAnyRole('admin')),
  /** Inbound settings and IMAP mailboxes (their passwords are never shown). */
  configure: definePermission('mail.configure', 'mail:write', hasAnyRole('admin')),
  /** The received-mail log (senders' addresses, raw messages). */
  inboundRead: definePermission(
    'mail.inbound.read',
    'mail:read',
    hasAnyRole('admin', 'supervisor', 'agent'),
  ),
  /** Accepting a reply held because it came from an unknown sender on a known thread. */
  inboundAccept: definePermission(
    'mail.inbound.accept',
    'mail:write',
    hasAnyRole('admin', 'supervisor', 'agent'),
  ),
};
