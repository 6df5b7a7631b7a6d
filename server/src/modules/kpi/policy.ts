import { definePermission, hasAnyRole } from '../../access/permissions.js';
import type { Actor } from '../../access/actor.js';
import type { SnapshotResults } from './snapshots.js';

/**
 * Who may use the KPI engine. Front-line staff read (record rules below narrow what they see:
 * an agent their own results, a supervisor the agents and teams of their teams, an
 * administrator everything); supervisors and administrators run, sign and correct the monthly
 * assessment; administrators change the targets.
 */
export const kpiPolicy = {
  read: definePermission(
    'kpi.read',
    'kpi:read',
    hasAnyRole('agent', 'specialist', 'supervisor', 'admin'),
  ),
  assess: definePermission('kpi.assess', 'kpi:write', hasAnyRole('supervisor', 'admin')),
  targetsWrite: definePermission('kpi.targets.write', 'kpi:write', hasAnyRole('admin')),
};

const isAdmin = (a: Actor) => a.roles.includes('admin');
const isSupervisor = (a: Actor) => a.roles.includes('supervisor');

/** An agent's results: their own; a supervisor's team members'; an administrator's anyone's. */
export function canSeeAgent(actor: Actor, userId: string, userTeamIds: string[]): boolean {
  if (isAdmin(actor) || actor.userId === userId) return true;
  return isSupervisor(actor) && userTeamIds.some((t) => actor.teamIds.includes(t));
}

/** A team's results: its supervisors' and administrators'. */
export function canSeeTeam(actor: Actor, teamId: string): boolean {
  return isAdmin(actor) || (isSupervisor(actor) && actor.teamIds.includes(teamId));
}

/** A snapshot as `actor` may see it: the rows of the agents and teams they may see. */
export function visibleResults(results: SnapshotResults, actor: Actor): SnapshotResults {
  if (isAdmin(actor)) return results;
  return {
    ...results,
    agents: results.agents.filter((a) => canSeeAgent(actor, a.userId, a.teamIds)),
    teams: results.teams.filter((t) => canSeeTeam(actor, t.teamId)),
  };
}
