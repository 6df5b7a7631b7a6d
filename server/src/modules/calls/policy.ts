import { definePermission, hasAnyRole } from '../../access/permissions.js';

/**
 * Who may call the phone routes. The CTI webhook is public and authenticated by its signature
 * (routes.ts). Agents and supervisors work calls and call-backs; admins set the secrets.
 */
export const callsPolicy = {
  read: definePermission('calls.read', 'calls:read', hasAnyRole('agent', 'supervisor', 'admin')),
  register: definePermission(
    'calls.register',
    'calls:write',
    hasAnyRole('agent', 'supervisor', 'admin'),
  ),
  callbacks: definePermission(
    'callCallbacks.work',
    'calls:write',
    hasAnyRole('agent', 'supervisor', 'admin'),
  ),
  dial: definePermission('calls.dial', 'calls:write', hasAnyRole('agent', 'supervisor', 'admin')),
  settingsRead: definePermission(
    'callSettings.read',
    'calls:read',
    hasAnyRole('supervisor', 'admin'),
  ),
  settingsManage: definePermission('callSettings.manage', 'calls:admin', hasAnyRole('admin')),
};
