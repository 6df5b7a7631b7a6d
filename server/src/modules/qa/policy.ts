import { definePermission, hasAnyRole } from '../../access/permissions.js';
import type { Actor } from '../../access/actor.js';

/**
 * Who may use quality inspection (docs/qa.md). Inspectors, supervisors and administrators work
 * the sample; front-line staff read their own results and appeal; supervisors and administrators
 * decide appeals; administrators change the settings and the scorecard. Record rules below: an
 * inspector sees the items assigned to them (and calibration items not of their own work) only.
 */
export const qaPolicy = {
  read: definePermission(
    'qa.read',
    'qa:read',
    hasAnyRole('agent', 'specialist', 'supervisor', 'admin', 'qa_inspector'),
  ),
  inspect: definePermission(
    'qa.inspect',
    'qa:write',
    hasAnyRole('qa_inspector', 'supervisor', 'admin'),
  ),
  results: definePermission(
    'qa.results',
    'qa:write',
    hasAnyRole('agent', 'specialist', 'supervisor'),
  ),
  decide: definePermission('qa.decide', 'qa:write', hasAnyRole('supervisor', 'admin')),
  settingsWrite: definePermission('qa.settings.write', 'qa:write', hasAnyRole('admin')),
};

export const isAdmin = (a: Actor) => a.roles.includes('admin');
export const isSupervisor = (a: Actor) => a.roles.includes('supervisor');
export const isInspector = (a: Actor) => a.roles.includes('qa_inspector');

/** Supervisors and administrators see every item; an inspector their own and calibration ones. */
export function canSeeItem(
  actor: Actor,
  item: { inspectorId: string | null; agentId: string; calibration: boolean },
): boolean {
  if (isAdmin(actor) || isSupervisor(actor)) return actor.userId !== item.agentId || isAdmin(actor);
  if (!isInspector(actor) || actor.userId === item.agentId) return false;
  return item.inspectorId === actor.userId || item.calibration || item.inspectorId === null;
}

/** An agent's results: their own; a supervisor's team members'; administrators and inspectors all. */
export function canSeeAgent(actor: Actor, userId: string, userTeamIds: string[]): boolean {
  if (isAdmin(actor) || isInspector(actor) || actor.userId === userId) return true;
  return isSupervisor(actor) && userTeamIds.some((t) => actor.teamIds.includes(t));
}

export function canSeeTeam(actor: Actor, teamId: string): boolean {
  return isAdmin(actor) || isInspector(actor) || actor.teamIds.includes(teamId);
}
