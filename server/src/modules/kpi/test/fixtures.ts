/**
 * Test fixtures of the KPI engine: tickets, SLA clocks, reopenings and survey answers written
 * straight into the tables, so each scenario's counts can be computed by hand (docs/kpi.md).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../../db/client.js';
import { currentVersionOrSeed } from '../../sla/policies.js';

let seq = 0;

export interface TicketFixture {
  owner: string;
  handler?: string | null;
  team?: string | null;
  tier?: 'L1' | 'L2' | 'L3';
  category?: string;
  receivedAt: string;
  resolvedAt?: string | null;
  closedAt?: string | null;
  closeKind?: 'confirmed' | 'auto_no_reply' | 'unresolved' | 'merged' | null;
  mergedInto?: string | null;
}

export function kpiFixtures(db: Db) {
  let customerId: string | undefined;
  const customer = async () => {
    if (customerId) return customerId;
    const [row] = rowsOf<{ id: string }>(
      await db.execute(sql`INSERT INTO customers (name, created_at, updated_at)
        VALUES ('KPI 客户', now(), now()) RETURNING id`),
    );
    return (customerId = row!.id);
  };

  return {
    async ticket(f: TicketFixture): Promise<string> {
      seq += 1;
      const id = randomUUID();
      const status = f.closeKind ? 'closed' : f.resolvedAt ? 'resolved' : 'in_progress';
      await db.execute(sql`INSERT INTO tickets (id, number, channel, category, tier, priority,
          subject, customer_id, received_at, registered_at, registered_by, receiving_agent_id,
          owner_id, team_id, handler_id, status, resolved_at, closed_at, close_kind,
          merged_into_id, created_at, updated_at)
        VALUES (${id}::uuid, ${`KPI-${seq}-${id.slice(0, 8)}`}, 'phone',
          ${f.category ?? 'consultation'}, ${f.tier ?? 'L1'}, 'general', 'kpi fixture',
          ${await customer()}::uuid, ${f.receivedAt}::timestamptz, ${f.receivedAt}::timestamptz,
          ${f.owner}::uuid, ${f.owner}::uuid, ${f.owner}::uuid, ${f.team ?? null}::uuid,
          ${f.handler ?? null}::uuid, ${status}, ${f.resolvedAt ?? null}::timestamptz,
          ${f.closedAt ?? null}::timestamptz, ${f.closeKind ?? null}, ${f.mergedInto ?? null}::uuid,
          ${f.receivedAt}::timestamptz, ${f.receivedAt}::timestamptz)`);
      return id;
    },

    /** A clock met (optionally after a breach), breached and still open, or paused; a breached
     *  clock is due when it breached (the CHECK of migration 0045). */
    async clock(
      ticketId: string,
      kind: string,
      o: {
        metAt?: string;
        breachedAt?: string;
        ms?: number;
        pausedSince?: string;
        startedAt: string;
      },
    ) {
      const version = (await currentVersionOrSeed(db, new Date(o.startedAt))).version;
      const state = o.metAt
        ? 'met'
        : o.pausedSince
          ? 'paused'
          : o.breachedAt
            ? 'breached'
            : 'running';
      await db.execute(sql`INSERT INTO sla_clocks (ticket_id, policy_version, policy_key, kind,
          limit_ms, warn_after_ms, pauses, repeats, state, started_at, warn_at, due_at,
          paused_since, breached, breached_at, met_at, business_ms_used, created_at, updated_at)
        VALUES (${ticketId}::uuid, ${version}, 'default', ${kind}, 3600000, 2880000, true, false,
          ${state}, ${o.startedAt}::timestamptz, ${o.startedAt}::timestamptz,
          ${o.breachedAt ?? o.startedAt}::timestamptz, ${o.pausedSince ?? null}::timestamptz,
          ${Boolean(o.breachedAt)}, ${o.breachedAt ?? null}::timestamptz,
          ${o.metAt ?? null}::timestamptz, ${o.ms ?? null},
          ${o.startedAt}::timestamptz, ${o.startedAt}::timestamptz)`);
    },

    async reopen(ticketId: string, at: string) {
      await db.execute(sql`INSERT INTO ticket_events (ticket_id, kind, at, visibility, data)
        VALUES (${ticketId}::uuid, 'status', ${at}::timestamptz, 'internal',
          ${JSON.stringify({ from: 'resolved', to: 'reopened' })}::jsonb)`);
    },

    async survey(o: {
      agent: string;
      team?: string | null;
      month: string;
      sentAt: string;
      answeredAt?: string;
      score?: number;
      ticketId?: string;
    }) {
      await db.execute(sql`INSERT INTO survey_responses (kind, ticket_id, customer_id, agent_id,
          team_id, period_month, sent_at, answered_at, solved, score100, created_at, updated_at)
        VALUES (${o.ticketId ? 'ticket' : 'campaign'}, ${o.ticketId ?? null}::uuid,
          ${await customer()}::uuid, ${o.agent}::uuid, ${o.team ?? null}::uuid,
          ${`${o.month}-01`}::date, ${o.sentAt}::timestamptz, ${o.answeredAt ?? null}::timestamptz,
          ${o.answeredAt ? true : null}, ${o.answeredAt ? (o.score ?? null) : null},
          ${o.sentAt}::timestamptz, ${o.sentAt}::timestamptz)`);
    },
  };
}
