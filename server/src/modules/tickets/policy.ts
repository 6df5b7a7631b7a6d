import type { Actor } from '../../access/actor.js';
import { definePermission, hasAnyRole, isStaff } from '../../access/permissions.js';
import type { Role } from '../../access/roles.js';

/**
 * Who may call the ticket routes. Agents, supervisors, specialists and administrators work
 * tickets; QA inspectors read them; customers never reach these routes (their side is the
 * public portal). Record rules — specialists see only their team's or their own tickets, only
 * the owner or a supervisor closes — are the functions below, applied by the services.
 */
const WORKERS = ['agent', 'supervisor', 'specialist', 'admin'] as const;
const READERS = [...WORKERS, 'qa_inspector'] as const;

export const ticketsPolicy = {
  list: definePermission('tickets.list', 'tickets:read', hasAnyRole(...READERS)),
  read: definePermission('tickets.read', 'tickets:read', hasAnyRole(...READERS)),
  create: definePermission('tickets.create', 'tickets:write', hasAnyRole(...WORKERS)),
  update: definePermission('tickets.update', 'tickets:write', hasAnyRole(...WORKERS)),
  transition: definePermission('tickets.transition', 'tickets:write', hasAnyRole(...WORKERS)),
  assign: definePermission('tickets.assign', 'tickets:write', hasAnyRole(...WORKERS)),
  changeOwner: definePermission(
    'tickets.changeOwner',
    'tickets:write',
    hasAnyRole('supervisor', 'admin'),
  ),
  reply: definePermission('tickets.reply', 'tickets:write', hasAnyRole(...WORKERS)),
  returnVisit: definePermission('tickets.returnVisit', 'tickets:write', hasAnyRole(...WORKERS)),
  followUp: definePermission('tickets.followUp', 'tickets:write', hasAnyRole(...WORKERS)),
  merge: definePermission(
    'tickets.merge',
    'tickets:write',
    hasAnyRole('agent', 'supervisor', 'admin'),
  ),
  link: definePermission('tickets.link', 'tickets:write', hasAnyRole(...WORKERS)),
  bulk: definePermission('tickets.bulk', 'tickets:write', hasAnyRole(...WORKERS)),
  categoriesRead: definePermission('ticketCategories.list', 'tickets:read', isStaff),
  categoriesManage: definePermission(
    'ticketCategories.manage',
    'tickets:admin',
    hasAnyRole('admin'),
  ),
  settingsRead: definePermission('ticketSettings.read', 'tickets:read', hasAnyRole(...READERS)),
  settingsManage: definePermission('ticketSettings.manage', 'tickets:admin', hasAnyRole('admin')),
  notifications: definePermission('notifications.own', 'notifications:read', isStaff),
  split: definePermission('tickets.split', 'tickets:write', hasAnyRole(...WORKERS)),
  fieldsRead: definePermission('ticketFields.list', 'tickets:read', isStaff),
  fieldsManage: definePermission('ticketFields.manage', 'tickets:admin', hasAnyRole('admin')),
  assignmentRulesRead: definePermission(
    'assignmentRules.list',
    'tickets:read',
    hasAnyRole('supervisor', 'admin'),
  ),
  assignmentRulesManage: definePermission(
    'assignmentRules.manage',
    'tickets:admin',
    hasAnyRole('admin'),
  ),
  teamMembers: definePermission('teams.members', 'teams:read', hasAnyRole(...WORKERS)),
  savedViews: definePermission('ticketViews.own', 'tickets:read', hasAnyRole(...READERS)),
};

/** Roles that see every ticket; everyone else who reads tickets (specialists) sees a subset. */
export const SEES_ALL_TICKETS: readonly Role[] = ['agent', 'supervisor', 'admin', 'qa_inspector'];

export const seesAllTickets = (actor: Pick<Actor, 'roles'>) =>
  actor.roles.some((r) => SEES_ALL_TICKETS.includes(r));

/** A specialist sees tickets of their teams, tickets they handle, and tickets they own. */
export function mayView(
  actor: Pick<Actor, 'roles' | 'userId' | 'teamIds'>,
  t: { teamId: string | null; handlerId: string | null; ownerId: string },
): boolean {
  if (seesAllTickets(actor)) return true;
  return (
    t.ownerId === actor.userId ||
    t.handlerId === actor.userId ||
    (t.teamId !== null && actor.teamIds.includes(t.teamId))
  );
}

/** Working a ticket (replies, assignment, transitions) needs a working role, not just reading. */
export const mayWork = (actor: Pick<Actor, 'roles'>) =>
  actor.roles.some((r) => (WORKERS as readonly Role[]).includes(r));

/** Supervisors and admins lead: owner changes, closing others' tickets, full contact data. */
export const isLead = (actor: Pick<Actor, 'roles'>) =>
  actor.roles.some((r) => r === 'supervisor' || r === 'admin');
