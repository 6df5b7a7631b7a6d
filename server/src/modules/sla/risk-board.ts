/**
 * The supervisors' risk board: open clocks that are about to breach (warned, past their warning
 * time, or due within N minutes) and those already breached, counted per team and listed by due
 * time. A clock the sweeper has not reached yet (running, due in the past) counts as breached, so
 * the board never lags the sweeper. Paused clocks (waiting on the customer) are not at risk.
 */
import { and, asc, eq, gt, inArray, isNotNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Executor } from '../../db/client.js';
import { slaClocks, teams, tickets, users } from '../../db/schema/index.js';
import { calendarCoverage } from './coverage.js';
import { problems } from '../../lib/problem.js';

export const riskBoardQuery = z.object({
  teamId: z.uuid().optional().describe('Only tickets of this team'),
  withinMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60)
    .describe('A running clock due within this many minutes is at risk (default 60)'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(100)
    .describe('At most this many clocks per list'),
});

export type RiskBoardQuery = z.output<typeof riskBoardQuery>;

const person = z.object({ id: z.uuid(), name: z.string() });

const riskItemSchema = z.object({
  clockId: z.uuid(),
  kind: z.string().describe('The target: first_response, resolution, …'),
  occurrence: z.number().int(),
  state: z.enum(['running', 'breached']),
  warnAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  warnedAt: z.iso.datetime().nullable(),
  ticket: z.object({
    id: z.uuid(),
    number: z.string(),
    subject: z.string(),
    status: z.string(),
    priority: z.string(),
    tier: z.string(),
  }),
  owner: person,
  handler: person.nullable(),
  team: person.nullable(),
});

const teamCountsSchema = z.object({
  team: person.nullable().describe('null = tickets not assigned to a team'),
  atRisk: z.number().int().describe('Tickets with a clock about to breach'),
  breached: z.number().int().describe('Tickets with a breached open clock'),
});

export const riskBoardSchema = z
  .object({
    generatedAt: z.iso.datetime(),
    withinMinutes: z.number().int(),
    totals: z.object({ atRisk: z.number().int(), breached: z.number().int() }),
    teams: z.array(teamCountsSchema).describe('Teams with at least one ticket at risk or breached'),
    atRisk: z.array(riskItemSchema).describe('Soonest due first'),
    breached: z.array(riskItemSchema).describe('Longest overdue first'),
    truncated: z
      .object({ atRisk: z.boolean(), breached: z.boolean() })
      .describe('A list was cut at `limit`'),
    calendarWarnings: z
      .array(
        z.object({
          calendarId: z.uuid(),
          name: z.string(),
          coveredUntil: z.iso.date().nullable(),
          missingFrom: z.iso.date(),
          missingYear: z.number().int(),
        }),
      )
      .describe(
        'Calendars without holiday data for the next calendarWarningDays: due times past it are wrong',
      ),
  })
  .meta({ id: 'SlaRiskBoard' });

export type RiskBoard = z.infer<typeof riskBoardSchema>;

const owner = alias(users, 'risk_owner');
const handler = alias(users, 'risk_handler');

export async function riskBoard(ex: Executor, q: RiskBoardQuery, now: Date): Promise<RiskBoard> {
  if (q.teamId) {
    const [team] = await ex.select({ id: teams.id }).from(teams).where(eq(teams.id, q.teamId));
    if (!team) throw problems.notFound('Team', 'teamId');
  }
  const horizon = new Date(now.getTime() + q.withinMinutes * 60_000);
  const breached = or(
    eq(slaClocks.state, 'breached'),
    and(eq(slaClocks.state, 'running'), lte(slaClocks.dueAt, now)),
  )!;
  const atRisk = and(
    eq(slaClocks.state, 'running'),
    gt(slaClocks.dueAt, now),
    or(isNotNull(slaClocks.warnedAt), lte(slaClocks.warnAt, now), lte(slaClocks.dueAt, horizon)),
  )!;
  const ofTeam = q.teamId ? eq(tickets.teamId, q.teamId) : undefined;
  const open = inArray(slaClocks.state, ['running', 'breached']);

  const perTeam = await ex
    .select({
      teamId: tickets.teamId,
      teamName: teams.name,
      atRisk: sql<number>`count(DISTINCT ${slaClocks.ticketId}) FILTER (WHERE ${atRisk})`,
      breached: sql<number>`count(DISTINCT ${slaClocks.ticketId}) FILTER (WHERE ${breached})`,
    })
    .from(slaClocks)
    .innerJoin(tickets, eq(tickets.id, slaClocks.ticketId))
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .where(and(open, or(atRisk, breached), ofTeam))
    .groupBy(tickets.teamId, teams.name)
    .orderBy(asc(teams.name));

  const [totals] = await ex
    .select({
      atRisk: sql<number>`count(DISTINCT ${slaClocks.ticketId}) FILTER (WHERE ${atRisk})`,
      breached: sql<number>`count(DISTINCT ${slaClocks.ticketId}) FILTER (WHERE ${breached})`,
    })
    .from(slaClocks)
    .innerJoin(tickets, eq(tickets.id, slaClocks.ticketId))
    .where(and(open, or(atRisk, breached), ofTeam));

  // One after another: the executor may be a single connection (PGlite).
  const riskRows = await listClocks(ex, and(atRisk, ofTeam)!, q.limit + 1);
  const breachRows = await listClocks(ex, and(breached, ofTeam)!, q.limit + 1);

  return {
    generatedAt: now.toISOString(),
    withinMinutes: q.withinMinutes,
    totals: { atRisk: Number(totals?.atRisk ?? 0), breached: Number(totals?.breached ?? 0) },
    teams: perTeam.map((r) => ({
      team: r.teamId ? { id: r.teamId, name: r.teamName ?? '' } : null,
      atRisk: Number(r.atRisk),
      breached: Number(r.breached),
    })),
    atRisk: riskRows.slice(0, q.limit).map((r) => present(r, now)),
    breached: breachRows.slice(0, q.limit).map((r) => present(r, now)),
    truncated: { atRisk: riskRows.length > q.limit, breached: breachRows.length > q.limit },
    calendarWarnings: await calendarWarnings(ex, now),
  };
}

function listClocks(ex: Executor, where: SQL, limit: number) {
  return ex
    .select({
      clockId: slaClocks.id,
      kind: slaClocks.kind,
      occurrence: slaClocks.occurrence,
      state: slaClocks.state,
      warnAt: slaClocks.warnAt,
      dueAt: slaClocks.dueAt,
      warnedAt: slaClocks.warnedAt,
      ticketId: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      priority: tickets.priority,
      tier: tickets.tier,
      ownerId: tickets.ownerId,
      ownerName: owner.name,
      handlerId: tickets.handlerId,
      handlerName: handler.name,
      teamId: tickets.teamId,
      teamName: teams.name,
    })
    .from(slaClocks)
    .innerJoin(tickets, eq(tickets.id, slaClocks.ticketId))
    .leftJoin(owner, eq(owner.id, tickets.ownerId))
    .leftJoin(handler, eq(handler.id, tickets.handlerId))
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .where(where)
    .orderBy(asc(slaClocks.dueAt), asc(tickets.number), asc(slaClocks.kind))
    .limit(limit);
}

/** Calendars running out of holiday data (coverage.ts): a risk to every due time past it. */
export async function calendarWarnings(ex: Executor, now: Date) {
  const { calendars } = await calendarCoverage(ex, now);
  return calendars
    .filter((c) => c.warn)
    .map((c) => ({
      calendarId: c.id,
      name: c.name,
      coveredUntil: c.coveredUntil,
      missingFrom: c.missingFrom!,
      missingYear: c.missingYear!,
    }));
}

type Row = Awaited<ReturnType<typeof listClocks>>[number];

function present(r: Row, now: Date): RiskBoard['atRisk'][number] {
  return {
    clockId: r.clockId,
    kind: r.kind,
    occurrence: r.occurrence,
    // Not swept yet but overdue: shown as what the sweeper will make it.
    state: r.state === 'breached' || r.dueAt <= now ? 'breached' : 'running',
    warnAt: r.warnAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    warnedAt: r.warnedAt?.toISOString() ?? null,
    ticket: {
      id: r.ticketId,
      number: r.number,
      subject: r.subject,
      status: r.status,
      priority: r.priority,
      tier: r.tier,
    },
    owner: { id: r.ownerId, name: r.ownerName ?? '' },
    handler: r.handlerId ? { id: r.handlerId, name: r.handlerName ?? '' } : null,
    team: r.teamId ? { id: r.teamId, name: r.teamName ?? '' } : null,
  };
}
