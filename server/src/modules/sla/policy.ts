import { definePermission, hasAnyRole, isStaff } from '../../access/permissions.js';

/**
 * Who may use the SLA engine's settings. Staff read calendars, policies and the preview (agents
 * see why a ticket is due when it is); only administrators change them. Clocks have no routes
 * of their own: the tickets module starts, pauses and meets them inside its own transactions.
 */
export const slaPolicy = {
  read: definePermission('sla.read', 'sla:read', isStaff),
  calendarsWrite: definePermission('sla.calendars.write', 'sla:write', hasAnyRole('admin')),
  policiesWrite: definePermission('sla.policies.write', 'sla:write', hasAnyRole('admin')),
  settingsWrite: definePermission('sla.settings.write', 'sla:write', hasAnyRole('admin')),
  /** The risk board: clocks about to breach and breached, by team (supervisors, admins). */
  riskBoard: definePermission('sla.riskBoard', 'sla:read', hasAnyRole('supervisor', 'admin')),
};
