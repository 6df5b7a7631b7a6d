import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { startMailSender, type MailSender } from '../../jobs/mail-sender.js';
import { createTestContext, type TestClient, type TestContext } from '../../test/harness.js';
import { kpiFixtures } from '../kpi/test/fixtures.js';
import { startTestSmtp, type TestSmtp } from '../mail/test-smtp.js';
import { pdfAvailable } from './pdf.js';
import { startReportScheduler } from './schedules.js';

/**
 * March 2026 (Asia/Shanghai), one customer, every subject "kpi fixture" (the KPI fixtures):
 * tickets on 3, 5, 10 and 16 March — each after the one before by 2, 5 and 6 days, so with the
 * default 7-day window 3 tickets repeat (by customer and by subject); with 3 days only one.
 * Agent A's response timeliness is 50 % (below the 90 % floor: a warning).
 */
const hasPdf = pdfAvailable();
if (!hasPdf && process.env.KEFU_REQUIRE_BROWSER === '1')
  throw new Error('Chromium is required (KEFU_REQUIRE_BROWSER=1) for the PDF report tests');
if (!hasPdf) console.warn('PDF report tests SKIPPED: /usr/bin/chromium not found');

let t: TestContext;
let smtp: TestSmtp;
let sender: MailSender;
let admin: TestClient;
let supervisor: TestClient;
let agent: TestClient;
const dir = mkdtempSync(join(tmpdir(), 'kefu-report-'));

const pdfText = (pdf: Buffer, name: string) => {
  const file = join(dir, name);
  writeFileSync(file, pdf);
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString())?.[1]);
  return { pages, text: execFileSync('pdftotext', ['-layout', file, '-']).toString() };
};

beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await createTestContext({
    KEFU_SMTP_URL: smtp.url,
    KEFU_MAIL_FROM: 'Kefu 客服 <service@kefu.example.com>',
    KEFU_MAIL_SEND_MS: 0,
  });
  sender = startMailSender({ db: t.database.db, clock: t.clock, config: t.config });
  t.clock.set('2026-04-02T03:00:00Z');
  const T1 = (await t.buildTeam('一组')).id;
  const A = await t.buildUser({ roles: ['agent'], teamIds: [T1], name: '王小明' });
  admin = await t.as('admin');
  supervisor = await t.as('supervisor');
  agent = await t.as('agent');
  const fx = kpiFixtures(t.database.db);
  const d = (s: string) => `2026-${s}+08:00`;
  const t1 = await fx.ticket({
    owner: A.id,
    team: T1,
    receivedAt: d('03-03T10:00:00'),
    resolvedAt: d('03-03T11:00:00'),
  });
  await fx.clock(t1, 'first_response', {
    startedAt: d('03-03T10:00:00'),
    metAt: d('03-03T10:01:00'),
    ms: 60_000,
  });
  const t2 = await fx.ticket({ owner: A.id, team: T1, receivedAt: d('03-05T10:00:00') });
  await fx.clock(t2, 'first_response', {
    startedAt: d('03-05T10:00:00'),
    breachedAt: d('03-05T11:00:00'),
  });
  await fx.ticket({
    owner: A.id,
    team: T1,
    category: 'complaint',
    receivedAt: d('03-10T10:00:00'),
    closedAt: d('03-12T10:00:00'),
    closeKind: 'unresolved',
  });
  await fx.ticket({ owner: A.id, team: T1, receivedAt: d('03-16T10:00:00') });
});

afterAll(async () => {
  await sender.stop();
  await t.close();
  await smtp.close();
});

describe('repeat problems', () => {
  it('counts repeats by customer and subject within the window, and drills down to them', async () => {
    const res = await supervisor.get('/api/v1/reports/repeats?period=2026-03');
    expect(res.statusCode).toBe(200);
    const r = res.json().data;
    expect(r).toMatchObject({
      windowDays: 7,
      received: 4,
      repeatTickets: 3,
      byCustomer: { tickets: 3, customers: 1 },
      bySubject: { tickets: 3, patterns: 1 },
    });
    expect(r.topSubjects).toEqual([{ key: 'kpi fixture', repeats: 3, tickets: 4 }]);
    expect(r.topCustomers[0]).toMatchObject({ name: 'K***', repeats: 3 });
    const drill = (
      await supervisor.get(
        `/api/v1/reports/repeats/tickets?period=2026-03&kind=subject&key=kpi%20fixture`,
      )
    ).json().data;
    expect(drill.count).toBe(3);
    expect(drill.tickets.map((x: { receivedAt: string }) => x.receivedAt.slice(0, 10))).toEqual([
      '2026-03-16',
      '2026-03-10',
      '2026-03-05',
    ]);
    const byCustomer = (
      await supervisor.get(
        `/api/v1/reports/repeats/tickets?period=2026-03&kind=customer&key=${r.topCustomers[0].key}`,
      )
    ).json().data;
    expect(byCustomer.count).toBe(3);
  });

  it('takes the window from the settings (administrators change it; audited)', async () => {
    expect(
      (await supervisor.request('PUT', '/api/v1/reports/settings', { repeatWindowDays: 3 }))
        .statusCode,
    ).toBe(403);
    expect(
      (await admin.request('PUT', '/api/v1/reports/settings', { repeatWindowDays: 0 })).statusCode,
    ).toBe(400);
    const put = await admin.request('PUT', '/api/v1/reports/settings', { repeatWindowDays: 3 });
    expect(put.statusCode).toBe(200);
    const r = (await admin.get('/api/v1/reports/repeats?period=2026-03')).json().data;
    expect(r).toMatchObject({ windowDays: 3, repeatTickets: 1 });
    await admin.request('PUT', '/api/v1/reports/settings', { repeatWindowDays: 7 });
    const [audit] = rowsOf<{ n: number }>(
      await t.database.db.execute(
        sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'reports.settings.update'`,
      ),
    );
    expect(audit!.n).toBe(2);
  });

  it('is not for agents, and rejects a bad period', async () => {
    expect((await agent.get('/api/v1/reports/repeats?period=2026-03')).statusCode).toBe(403);
    expect((await admin.get('/api/v1/reports/repeats?period=2026-13')).statusCode).toBe(400);
    expect((await admin.get('/api/v1/reports/repeats?period=2026-Q5')).statusCode).toBe(400);
  });
});

describe('ledger in business time', () => {
  it('measures the same status intervals by the business calendar (never more than wall-clock)', async () => {
    const res = await supervisor.get('/api/v1/reports/ledger/business-time?month=2026-03');
    expect(res.statusCode).toBe(200);
    const b = res.json().data;
    const wall = (await supervisor.get('/api/v1/reports/ledger?month=2026-03')).json().data;
    const stage = (f: { stage: string }[], s: string) =>
      f.find((x) => x.stage === s) as never as {
        tickets: number;
        totalMs: number;
      };
    expect(stage(b.funnel, 'new').tickets).toBe(stage(wall.funnel, 'new').tickets);
    expect(stage(b.funnel, 'new').totalMs).toBeGreaterThan(0);
    expect(stage(b.funnel, 'new').totalMs).toBeLessThanOrEqual(stage(wall.funnel, 'new').totalMs);
  });
});

describe('service report', () => {
  it('has the month’s KPIs as the dashboard shows them, assessments, ledger and repeats', async () => {
    const r = (await admin.get('/api/v1/reports/service-report?period=2026-03')).json().data;
    const month = (await admin.get('/api/v1/reports/month?month=2026-03')).json().data;
    expect(r.kind).toBe('month');
    expect(r.kpis).toEqual(month.kpis);
    expect(r.trend).toEqual(month.trend);
    expect(r.assessments[0].warnings).toEqual([
      { name: '王小明', kpis: expect.arrayContaining(['response_timeliness']) },
    ]);
    expect(r.ledger.received).toBe(4);
    expect(r.repeats.repeatTickets).toBe(3);
  });

  it('sums the quarter’s facts', async () => {
    const r = (await admin.get('/api/v1/reports/service-report?period=2026-Q1')).json().data;
    expect(r.months).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(r.monthly).toHaveLength(3);
    expect(r.kpis.complaint_rate).toMatchObject({ numerator: 1, denominator: 4, value: 25 });
    expect(r.kpis.response_timeliness).toMatchObject({ numerator: 1, denominator: 2 });
    expect(r.assessments).toHaveLength(3);
  });

  it.skipIf(!hasPdf)('prints a two-page PDF in Chinese, audited', async () => {
    const res = await admin.get('/api/v1/reports/service-report/pdf?period=2026-03');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('kefu-service-report-2026-03.pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const { pages, text } = pdfText(res.rawPayload, 'month.pdf');
    expect(pages).toBe(2);
    for (const s of [
      '客服服务月报',
      '2026 年 3 月',
      '响应及时率',
      '低于警戒线',
      '服务之星候选',
      '王小明',
      '重复问题',
      'kpi fixture',
    ])
      expect(text).toContain(s);
    const [audit] = rowsOf<{ n: number }>(
      await t.database.db.execute(sql`SELECT count(*)::int AS n FROM audit_events
        WHERE action = 'reports.export' AND diff::text LIKE '%pdf%'`),
    );
    expect(audit!.n).toBe(1);
  });

  it.skipIf(!hasPdf)('prints a quarter in English', async () => {
    const res = await admin.get('/api/v1/reports/service-report/pdf?period=2026-Q1&lang=en-US');
    expect(res.statusCode).toBe(200);
    const { text } = pdfText(res.rawPayload, 'quarter.pdf');
    expect(text).toContain('Customer service quarterly report');
    expect(text).toContain('2026-02');
    expect(text).toContain('Repeat problems');
  });

  it('is refused to agents', async () => {
    expect((await agent.get('/api/v1/reports/service-report/pdf?period=2026-03')).statusCode).toBe(
      403,
    );
  });
});

describe('scheduled reports', () => {
  it('validates and is managed by administrators only', async () => {
    const bad = await admin.post('/api/v1/reports/schedules', {
      name: '月报',
      period: 'month',
      recipients: ['not-an-address'],
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (
        await supervisor.post('/api/v1/reports/schedules', {
          name: '月报',
          period: 'month',
          recipients: ['a@example.com'],
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await admin.delete('/api/v1/reports/schedules/00000000-0000-4000-8000-000000000000'))
        .statusCode,
    ).toBe(404);
  });

  it.skipIf(!hasPdf)(
    'mails the last month’s PDF once, through the outbox, to each recipient',
    async () => {
      const created = await admin.post('/api/v1/reports/schedules', {
        name: '管理层月报',
        period: 'month',
        recipients: ['boss@example.com', 'ops@example.com'],
      });
      expect(created.statusCode).toBe(201);
      const s = created.json().data;
      expect(s).toMatchObject({ locale: 'zh-CN', enabled: true, lastPeriod: null });
      // Two processes at once: one lease, one mailing.
      const a = startReportScheduler({
        db: t.database.db,
        clock: t.clock,
        intervalMs: 0,
        holder: 'a',
      });
      const b = startReportScheduler({
        db: t.database.db,
        clock: t.clock,
        intervalMs: 0,
        holder: 'b',
      });
      const runs = await Promise.all([a.runOnce(), b.runOnce()]);
      const again = await a.runOnce();
      expect(runs.reduce((n, r) => n + r.queued, 0) + again.queued).toBe(2);
      expect(again.queued).toBe(0);
      const list = (await admin.get('/api/v1/reports/schedules')).json().data;
      expect(list[0]).toMatchObject({ id: s.id, lastPeriod: '2026-03' });

      await sender.runOnce();
      const mails = await smtp.waitFor(2, 10_000);
      expect(mails.map((m) => m.to && 'text' in m.to && m.to.text).sort()).toEqual([
        'boss@example.com',
        'ops@example.com',
      ]);
      const mail = mails[0]!;
      expect(mail.subject).toBe('【客服报表】管理层月报 · 2026 年 3 月');
      expect(mail.attachments).toHaveLength(1);
      const att = mail.attachments[0]!;
      expect(att.filename).toBe('kefu-service-report-2026-03.pdf');
      expect(att.contentType).toBe('application/pdf');
      const { pages, text } = pdfText(att.content, 'mailed.pdf');
      expect(pages).toBe(2);
      expect(text).toContain('客服服务月报');

      // Disabled definitions are not mailed; a new month is.
      t.clock.set('2026-05-03T03:00:00Z');
      admin = await t.as('admin'); // a month on: a fresh session
      const off = await admin.patch(`/api/v1/reports/schedules/${s.id}`, { enabled: false });
      expect(off.json()).toMatchObject({ data: { enabled: false } });
      expect((await a.runOnce()).queued).toBe(0);
      await admin.patch(`/api/v1/reports/schedules/${s.id}`, {
        enabled: true,
        recipients: ['boss@example.com'],
      });
      expect((await a.runOnce()).queued).toBe(1);
      expect((await admin.delete(`/api/v1/reports/schedules/${s.id}`)).statusCode).toBe(204);
      await a.stop();
      await b.stop();
    },
  );
});
