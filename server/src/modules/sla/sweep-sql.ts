/**
 * The sweeper's one statement per batch. Reading it top to bottom:
 *
 * - `due`: claim up to `limit` due timers with FOR UPDATE SKIP LOCKED (rows another sweeper
 *   holds are skipped, never waited for) and delete them;
 * - `breached` / `warned`: mark the clocks those timers point at — only if the clock row itself
 *   says so (breach: running and past due; warning: running, not warned, past its warning time
 *   and not yet due, so a breach supersedes a late warning). The two sets are disjoint;
 * - `fired`: one `sla_events` row per marked clock unless that (clock, kind, occurrence) already
 *   has one — only events actually inserted go further (the primary key refuses a duplicate
 *   outright: the batch rolls back and the next sweep skips it). NOT EXISTS rather than
 *   ON CONFLICT: a speculative insertion writes twice the WAL;
 * - `hit`, `chain` … `rcpt`: the tickets, the escalation chain of the policy version each
 *   clock started under (rules/escalation.ts), resolved to active users, once per event;
 * - `notified`: one in-app notification per recipient, titled in the recipient's language
 *   (the distinct recipients are answered, to be published to their live streams).
 *
 * It answers the count of timers claimed, of events by kind and of notifications, and — when
 * asked — the fired events themselves (for the tickets module's hook).
 */
import { sql } from 'drizzle-orm';
import { DEFAULT_ESCALATION, TARGET_LABELS, TITLE_TEMPLATES } from './rules/escalation.js';

const templates = JSON.stringify(
  Object.entries(TITLE_TEMPLATES).map(([kind, t]) => ({ kind, ...t })),
);
const labels = JSON.stringify(Object.entries(TARGET_LABELS).map(([kind, l]) => ({ kind, ...l })));
const defaultEscalation = JSON.stringify(DEFAULT_ESCALATION);

export interface SweepRow {
  claimed: number | string;
  breaches: number | string;
  warnings: number | string;
  notifications: number | string;
  /** The users notified (for the live streams: published in the batch's transaction). */
  users: unknown;
  /** With events asked for: the fired events, and [clockId, kind, userId] per notification. */
  events: unknown;
  notified: unknown;
}

/*
 * Every CTE reads the one before it and joins only tables (by index) or small sets: the planner
 * cannot know how many rows a data-modifying CTE returns, and a nested loop between two CTEs
 * of 5,000 rows each would cost 25 million comparisons.
 */
export function sweepStatement(now: string, limit: number, withEvents: boolean) {
  const ts = sql`${now}::timestamptz`;
  const mark = (kind: 'warning' | 'breach') => sql`
      UPDATE sla_clocks c SET ${
        kind === 'breach'
          ? sql`state = 'breached', breached = true, breached_at = c.due_at`
          : sql`warned_at = ${ts}`
      }, updated_at = ${ts}
      WHERE c.id = ANY (ARRAY(SELECT clock_id FROM due WHERE kind = ${kind}))
        AND c.state = 'running' AND ${
          kind === 'breach'
            ? sql`c.due_at <= ${ts}`
            : sql`c.warned_at IS NULL AND c.warn_at <= ${ts} AND c.due_at > ${ts}`
        }
      RETURNING c.id, c.ticket_id, c.kind, c.occurrence, c.due_at, c.policy_version,
        c.policy_key, ${kind}::text AS fired`;
  const events = withEvents
    ? sql`(SELECT coalesce(json_agg(json_build_object(
          'clockId', h.clock_id, 'kind', h.kind, 'ticketId', h.ticket_id,
          'ticketNumber', h.number, 'targetKind', h.target_kind, 'occurrence', h.occurrence,
          'dueAt', h.due_at, 'policyVersion', h.policy_version, 'policyKey', h.policy_key,
          'ownerId', h.owner_id, 'handlerId', h.handler_id, 'teamId', h.team_id,
          'escalation', h.escalation)), '[]'::json) FROM hit_chain h)`
    : sql`NULL`;
  const notified = withEvents
    ? sql`(SELECT coalesce(json_agg(json_build_array(r.clock_id, r.kind, r.user_id)), '[]'::json)
          FROM rcpt r)`
    : sql`NULL`;
  return sql`
    WITH due AS (
      DELETE FROM sla_timers t WHERE t.ctid = ANY (ARRAY(
        SELECT ctid FROM sla_timers WHERE fire_at <= ${ts}
        ORDER BY fire_at LIMIT ${limit} FOR UPDATE SKIP LOCKED))
      RETURNING t.clock_id, t.kind
    ), breached AS (${mark('breach')}
    ), warned AS (${mark('warning')}
    ), fired AS (
      INSERT INTO sla_events (clock_id, kind, occurrence, ticket_id, target_kind, policy_version,
        policy_key, due_at, at)
      SELECT id, fired, occurrence, ticket_id, kind, policy_version, policy_key, due_at, ${ts}
      FROM (SELECT * FROM breached UNION ALL SELECT * FROM warned) marked
      WHERE NOT EXISTS (SELECT 1 FROM sla_events e
        WHERE e.clock_id = marked.id AND e.kind = marked.fired AND e.occurrence = marked.occurrence)
      RETURNING *
    ), hit AS (
      SELECT f.*, t.number, t.owner_id, t.handler_id, t.team_id
      FROM fired f JOIN tickets t ON t.id = f.ticket_id
    ), chain AS (
      SELECT v.version, p->>'key' AS key,
        coalesce(p->'escalation', ${defaultEscalation}::jsonb) AS escalation
      FROM sla_policy_versions v CROSS JOIN LATERAL jsonb_array_elements(v.policies) p
      WHERE v.version IN (SELECT DISTINCT policy_version FROM fired)
    ), hit_chain AS (
      SELECT h.*, c.escalation
      FROM hit h JOIN chain c ON c.version = h.policy_version AND c.key = h.policy_key
    ), wants AS (
      SELECT h.clock_id, h.kind, h.ticket_id, h.number, h.target_kind, h.owner_id, h.handler_id,
        h.team_id, r.recipient
      FROM hit_chain h
      CROSS JOIN LATERAL jsonb_array_elements_text(h.escalation->h.kind->'notify') AS r(recipient)
    ), named AS (
      SELECT w.*, w.owner_id AS user_id, false AS lead FROM wants w WHERE recipient = 'owner'
      UNION ALL
      SELECT w.*, w.handler_id, false FROM wants w WHERE recipient = 'handler'
      UNION ALL
      SELECT w.*, tm.user_id, true FROM wants w
        JOIN team_members tm ON tm.team_id = w.team_id WHERE w.recipient = 'team_lead'
      UNION ALL
      SELECT w.*, s.id, false FROM wants w
        CROSS JOIN (SELECT id FROM users WHERE active AND 'supervisor' = ANY (roles)) s
        WHERE w.recipient = 'supervisors'
    ), rcpt AS (
      SELECT DISTINCT n.clock_id, n.kind, n.ticket_id, n.number, n.target_kind, u.id AS user_id,
        u.locale
      FROM named n JOIN users u ON u.id = n.user_id AND u.active
      WHERE NOT n.lead OR 'supervisor' = ANY (u.roles)
    ), notified AS (
      INSERT INTO notifications (user_id, kind, ticket_id, title, created_at)
      SELECT r.user_id, 'sla_' || r.kind, r.ticket_id,
        CASE WHEN r.locale = 'en-US'
          THEN format(tpl.en, r.number, coalesce(lbl.en, r.target_kind))
          ELSE format(tpl.zh, r.number, coalesce(lbl.zh, r.target_kind)) END,
        ${ts}
      FROM rcpt r
      JOIN jsonb_to_recordset(${templates}::jsonb) AS tpl(kind text, zh text, en text)
        ON tpl.kind = r.kind
      LEFT JOIN jsonb_to_recordset(${labels}::jsonb) AS lbl(kind text, zh text, en text)
        ON lbl.kind = r.target_kind
      RETURNING user_id
    )
    SELECT (SELECT count(*) FROM due) AS claimed,
      (SELECT count(*) FROM fired WHERE kind = 'breach') AS breaches,
      (SELECT count(*) FROM fired WHERE kind = 'warning') AS warnings,
      (SELECT count(*) FROM notified) AS notifications,
      (SELECT coalesce(json_agg(DISTINCT user_id), '[]'::json) FROM notified) AS users,
      ${events} AS events, ${notified} AS notified`;
}
