/** Staff views of survey answers: the list with filters and the card on a ticket page. */
import {
  aliasedTable,
  and,
  desc,
  eq,
  inArray,
  isNotNull,
  isNull,
  lt,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/client.js';
import { surveyInvitations, teamMembers, tickets, users } from '../../db/schema/index.js';
import type { CursorKey } from '../../lib/pagination.js';
import { findVisibleTicket } from '../tickets/access.js';
import { answersScope } from './policy.js';
import { stateOf } from './answers.js';

const agents = aliasedTable(users, 'survey_agent');

/** SQL limiting answers to what the actor may see (agents own, supervisors team, admins all). */
export function answersVisibleTo(actor: Actor): SQL | undefined {
  const scope = answersScope(actor);
  if (scope === 'all') return undefined;
  if (scope === 'own') return eq(surveyInvitations.agentId, actor.userId);
  const teams = actor.teamIds.length ? actor.teamIds : ['00000000-0000-0000-0000-000000000000'];
  return or(
    eq(surveyInvitations.agentId, actor.userId),
    inArray(surveyInvitations.teamId, teams),
    inArray(
      surveyInvitations.agentId,
      sql`(SELECT ${teamMembers.userId} FROM ${teamMembers} WHERE ${inArray(teamMembers.teamId, teams)})`,
    ),
  );
}

export interface ResponseFilter {
  kind?: 'ticket' | 'campaign';
  status?: 'answered' | 'unanswered' | 'low';
  agentId?: string;
  teamId?: string;
  month?: string;
  ticketId?: string;
}

const columns = {
  inv: surveyInvitations,
  ticketNumber: tickets.number,
  ticketSubject: tickets.subject,
  agentName: agents.name,
};

type Joined = {
  inv: typeof surveyInvitations.$inferSelect;
  ticketNumber: string | null;
  ticketSubject: string | null;
  agentName: string | null;
};

export function presentResponse(r: Joined, now: Date) {
  const i = r.inv;
  return {
    id: i.id,
    kind: i.kind as 'ticket' | 'campaign',
    state: stateOf(i, now),
    ticket: i.ticketId
      ? { id: i.ticketId, number: r.ticketNumber ?? '', subject: r.ticketSubject ?? '' }
      : null,
    agent: i.agentId ? { id: i.agentId, name: r.agentName ?? '' } : null,
    teamId: i.teamId,
    periodMonth: i.periodMonth,
    sentAt: i.sentAt.toISOString(),
    answeredAt: i.answeredAt?.toISOString() ?? null,
    expiresAt: i.expiresAt?.toISOString() ?? null,
    reminderSentAt: i.reminderSentAt?.toISOString() ?? null,
    channels: i.channels,
    solved: i.solved,
    score100: i.score100 === null ? null : Number(i.score100),
    answers: i.answers ?? null,
    comment: i.comment,
    templateVersion: i.templateVersion,
    followUpAt: i.followUpAt?.toISOString() ?? null,
  };
}
export type ResponseView = ReturnType<typeof presentResponse>;

export async function listResponses(
  db: Db,
  actor: Actor,
  f: ResponseFilter,
  limit: number,
  before: CursorKey | undefined,
  lowThreshold: number,
  now: Date,
) {
  const rows = await db
    .select(columns)
    .from(surveyInvitations)
    .leftJoin(tickets, eq(tickets.id, surveyInvitations.ticketId))
    .leftJoin(agents, eq(agents.id, surveyInvitations.agentId))
    .where(
      and(
        answersVisibleTo(actor),
        f.kind ? eq(surveyInvitations.kind, f.kind) : undefined,
        f.status === 'answered' ? isNotNull(surveyInvitations.answeredAt) : undefined,
        f.status === 'unanswered' ? isNull(surveyInvitations.answeredAt) : undefined,
        f.status === 'low'
          ? or(eq(surveyInvitations.solved, false), lt(surveyInvitations.score100, lowThreshold))
          : undefined,
        f.agentId ? eq(surveyInvitations.agentId, f.agentId) : undefined,
        f.teamId ? eq(surveyInvitations.teamId, f.teamId) : undefined,
        f.month ? eq(surveyInvitations.periodMonth, `${f.month}-01`) : undefined,
        f.ticketId ? eq(surveyInvitations.ticketId, f.ticketId) : undefined,
        before
          ? or(
              lt(surveyInvitations.sentAt, new Date(before.at)),
              and(
                eq(surveyInvitations.sentAt, new Date(before.at)),
                lt(surveyInvitations.id, before.id),
              ),
            )
          : undefined,
      ),
    )
    .orderBy(desc(surveyInvitations.sentAt), desc(surveyInvitations.id))
    .limit(limit + 1);
  return rows.map((r) => presentResponse(r, now));
}

/** The survey of one ticket for its page (null: none sent, or not yours to see). */
export async function ticketSurvey(db: Db, actor: Actor, ticketId: string, now: Date) {
  await findVisibleTicket(db, ticketId, actor);
  const [row] = await db
    .select(columns)
    .from(surveyInvitations)
    .leftJoin(tickets, eq(tickets.id, surveyInvitations.ticketId))
    .leftJoin(agents, eq(agents.id, surveyInvitations.agentId))
    .where(
      and(
        eq(surveyInvitations.ticketId, ticketId),
        eq(surveyInvitations.kind, 'ticket'),
        answersVisibleTo(actor),
      ),
    );
  return row ? presentResponse(row, now) : null;
}
