/**
 * Scheduled service reports (SPEC 13): a definition (monthly or quarterly, recipients, language)
 * whose report of the last complete period is mailed as a PDF through the outbox. The job takes
 * its lease through jobs/lease.ts; a period is mailed once per definition because moving
 * `last_period` (conditionally) and queuing the mails happen in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { rowsOf, type Db, type Executor } from '../../db/client.js';
import { periodicJob } from '../../jobs/periodic.js';
import { acquireLease, releaseLease } from '../../jobs/lease.js';
import type { Clock } from '../../lib/clock.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { workspaceTimeZone } from '../kpi/snapshots.js';
import { attachToMail } from '../mail/attachments.js';
import { htmlToPdf, renderReportHtml } from './pdf.js';
import { serviceReport } from './report.js';
import { lastCompletePeriod, type PeriodKind } from './rules/period.js';
import { REPORT_TEXT, type ReportLocale } from './rules/report-text.js';

export interface ScheduleInput {
  name: string;
  period: PeriodKind;
  recipients: string[];
  locale: ReportLocale;
  enabled: boolean;
}

export interface Schedule extends ScheduleInput {
  id: string;
  lastPeriod: string | null;
  lastSentAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  name: string;
  period: PeriodKind;
  recipients: string[];
  locale: ReportLocale;
  enabled: boolean;
  last_period: string | null;
  last_sent_at: string | Date | null;
  created_at: string | Date;
  updated_at: string | Date;
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
const present = (r: Row): Schedule => ({
  id: r.id,
  name: r.name,
  period: r.period,
  recipients: r.recipients,
  locale: r.locale,
  enabled: r.enabled,
  lastPeriod: r.last_period,
  lastSentAt: iso(r.last_sent_at),
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});

const textArray = (xs: string[]) =>
  sql`${`{${xs.map((x) => `"${x.replace(/["\\]/g, '')}"`).join(',')}}`}::text[]`;

export async function listSchedules(ex: Executor): Promise<Schedule[]> {
  return rowsOf<Row>(
    await ex.execute(sql`SELECT * FROM report_schedules ORDER BY created_at, id`),
  ).map(present);
}

async function getRow(ex: Executor, id: string, lock = false): Promise<Row> {
  const [row] = rowsOf<Row>(
    await ex.execute(
      sql`SELECT * FROM report_schedules WHERE id = ${id}${lock ? sql` FOR UPDATE` : sql``}`,
    ),
  );
  if (!row) throw problems.notFound('Report schedule', 'id');
  return row;
}

export async function createSchedule(db: Db, ctx: AuditContext, input: ScheduleInput) {
  return db.transaction(async (tx) => {
    const [row] = rowsOf<Row>(
      await tx.execute(sql`INSERT INTO report_schedules
        (name, period, recipients, locale, enabled, created_at, updated_at)
        VALUES (${input.name}, ${input.period}, ${textArray(input.recipients)}, ${input.locale},
          ${input.enabled}, ${ctx.at.toISOString()}::timestamptz, ${ctx.at.toISOString()}::timestamptz)
        RETURNING *`),
    );
    const saved = present(row!);
    await recordAudit(tx, ctx, {
      action: 'reports.schedule.create',
      targetType: 'report_schedule',
      targetId: saved.id,
      after: { ...input, recipients: input.recipients.length },
    });
    return saved;
  });
}

export async function updateSchedule(
  db: Db,
  ctx: AuditContext,
  id: string,
  patch: Partial<ScheduleInput>,
) {
  return db.transaction(async (tx) => {
    const before = present(await getRow(tx, id, true));
    const next = { ...before, ...patch };
    const [row] = rowsOf<Row>(
      await tx.execute(sql`UPDATE report_schedules SET name = ${next.name}, period = ${next.period},
        recipients = ${textArray(next.recipients)}, locale = ${next.locale}, enabled = ${next.enabled},
        updated_at = ${ctx.at.toISOString()}::timestamptz
        WHERE id = ${id} RETURNING *`),
    );
    await recordAudit(tx, ctx, {
      action: 'reports.schedule.update',
      targetType: 'report_schedule',
      targetId: id,
      before: { name: before.name, period: before.period, enabled: before.enabled },
      after: { ...patch, ...(patch.recipients && { recipients: patch.recipients.length }) },
    });
    return present(row!);
  });
}

export async function deleteSchedule(db: Db, ctx: AuditContext, id: string) {
  await db.transaction(async (tx) => {
    const before = present(await getRow(tx, id, true));
    await tx.execute(sql`DELETE FROM report_schedules WHERE id = ${id}`);
    await recordAudit(tx, ctx, {
      action: 'reports.schedule.delete',
      targetType: 'report_schedule',
      targetId: id,
      before: { name: before.name, period: before.period },
    });
  });
}

/** Scheduled reports see what an administrator sees. */
const SYSTEM_ACTOR: Actor = {
  userId: '00000000-0000-0000-0000-000000000000',
  name: 'scheduled report',
  email: '',
  roles: ['admin'],
  teamIds: [],
  via: 'token',
  principalKey: 'reports-scheduled',
};

const localDate = (now: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);

export const reportFileName = (period: string) => `kefu-service-report-${period}.pdf`;

/** Renders the PDF of a period's report (as an administrator sees it). */
export async function reportPdf(
  db: Db,
  actor: Actor,
  now: Date,
  period: string,
  locale: ReportLocale,
) {
  const report = await serviceReport(db, actor, now, { period });
  return htmlToPdf(renderReportHtml(report, locale));
}

/**
 * One round: every enabled definition whose last complete period is not mailed yet gets its
 * PDF queued to each recipient. Returns the mails queued.
 */
export async function mailDueReports(db: Db, now: Date): Promise<number> {
  const today = localDate(now, await workspaceTimeZone(db));
  let queued = 0;
  for (const s of await listSchedules(db)) {
    if (!s.enabled || s.recipients.length === 0) continue;
    const period = lastCompletePeriod(s.period, today);
    if (s.lastPeriod === period) continue;
    const pdf = await reportPdf(db, SYSTEM_ACTOR, now, period, s.locale);
    const t = REPORT_TEXT[s.locale];
    queued += await db.transaction(async (tx) => {
      const moved = rowsOf<{ id: string }>(
        await tx.execute(sql`UPDATE report_schedules
          SET last_period = ${period}, last_sent_at = ${now.toISOString()}::timestamptz
          WHERE id = ${s.id} AND enabled AND last_period IS DISTINCT FROM ${period} RETURNING id`),
      );
      if (moved.length === 0) return 0;
      for (const to of s.recipients) {
        const [mail] = rowsOf<{ id: string }>(
          await tx.execute(sql`INSERT INTO mail_outbox (to_address, subject, text_body, template,
              locale, status, attempts, next_attempt_at, created_at, updated_at)
            VALUES (${to}, ${t.mailSubject(s.name, period)}, ${t.mailBody(s.name, period)},
              'reports.scheduled', ${s.locale}, 'queued', 0, ${now.toISOString()}::timestamptz,
              ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
            RETURNING id`),
        );
        await attachToMail(tx, mail!.id, [
          { filename: reportFileName(period), contentType: 'application/pdf', content: pdf },
        ]);
      }
      await recordAudit(
        tx,
        {
          actorId: null,
          actorName: 'scheduled report',
          ip: null,
          userAgent: null,
          requestId: null,
          at: now,
        },
        {
          action: 'reports.schedule.mail',
          targetType: 'report_schedule',
          targetId: s.id,
          after: { period, recipients: s.recipients.length },
        },
      );
      return s.recipients.length;
    });
  }
  return queued;
}

export const REPORT_SCHEDULE_LEASE = 'reports-scheduled';

export interface ReportScheduler {
  runOnce(): Promise<{ ran: boolean; queued: number }>;
  stop(): Promise<void>;
}

export function startReportScheduler(opts: {
  db: Db;
  clock: Clock;
  intervalMs: number;
  leaseMs?: number;
  holder?: string;
  log?: Pick<FastifyBaseLogger, 'info' | 'error'>;
}): ReportScheduler {
  const { db, clock, intervalMs, log } = opts;
  const leaseMs = opts.leaseMs ?? 10 * 60_000;
  const holder = opts.holder ?? randomUUID();
  const work = async () => {
    if (!(await acquireLease(db, REPORT_SCHEDULE_LEASE, holder, clock.now(), leaseMs)))
      return { ran: false, queued: 0 };
    try {
      return { ran: true, queued: await mailDueReports(db, clock.now()) };
    } finally {
      await releaseLease(db, REPORT_SCHEDULE_LEASE, holder);
    }
  };
  return periodicJob({
    intervalMs,
    work,
    done: (result) => {
      if (result.queued) log?.info(result, 'scheduled reports queued');
    },
    failed: (err) => log?.error({ err }, 'scheduled reports failed; retrying later'),
  });
}
