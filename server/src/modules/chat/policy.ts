import { definePermission, hasAnyRole } from '../../access/permissions.js';

/**
 * Web chat permissions. Agents and supervisors work the queue; supervisors also see its
 * length and longest wait; administrators set the chat settings and embedding sites.
 */
export const chatPolicy = {
  work: definePermission('chat.work', 'chat:write', hasAnyRole('agent', 'supervisor')),
  settingsRead: definePermission(
    'chatSettings.read',
    'chat:read',
    hasAnyRole('supervisor', 'admin'),
  ),
  settingsManage: definePermission('chatSettings.manage', 'chat:admin', hasAnyRole('admin')),
};

/** Supervisors (and admins) see queue statistics. */
export const seesQueueStats = (roles: readonly string[]) =>
  roles.includes('supervisor') || roles.includes('admin');
