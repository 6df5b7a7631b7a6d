/**
 * Loads a realistic ticket population for the benchmarks: customers, agents in teams, N tickets
 * over the past year and the SLA clocks (with their sweeper timers) of every ticket still open.
 * Skewed like a real service desk: most tickets closed or archived, open ones recent; chat and
 * phone first; consultations most, complaints few; a few agents own far more than the rest;
 * subjects and descriptions in Chinese (≈85 %) and English. Deterministic for a given seed.
 *
 * Bulk load: COPY through pg-copy-streams on PostgreSQL, COPY FROM a blob on PGlite; every
 * index of the migrations is in place (the load pays for them, as production writes would).
 *
 *   node --import tsx bench/generate/tickets.ts --count 100000
 *     loads into DATABASE_URL (migrated first), else into a PGlite directory (--data-dir,
 *     default memory://, which only measures). Prints rows/s.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openDatabase, rowsOf, type Database } from '../../server/src/db/client.js';
import { migrate } from '../../server/src/db/migrate.js';
import { hashPassword } from '../../server/src/modules/auth/passwords.js';
import { resolveCalendar } from '../../server/src/modules/sla/calendar-store.js';
import { currentVersion } from '../../server/src/modules/sla/policies.js';
import { planTargets } from '../../server/src/modules/sla/rules/plan.js';
import { matchPolicy } from '../../server/src/modules/sla/rules/policy.js';
import { seedSlaDefaults } from '../../server/src/modules/sla/seed.js';
import {
  lastTicketNumbers,
  raiseTicketNumberFloor,
} from '../../server/src/modules/tickets/numbers.js';

export interface GenerateOptions {
  count: number;
  /** "Now" of the data: tickets are received in the year before it. */
  now: Date;
  seed?: number;
  agents?: number;
  customers?: number;
  /** An existing agent (and team) made the busiest one: the bench signs in as them. */
  headAgent?: { id: string; teamId: string };
  /** Password of the generated agents (one hash for all). */
  password?: string;
  log?: (line: string) => void;
}

export interface Generated {
  tickets: number;
  customers: number;
  clocks: number;
  timers: number;
  ms: number;
  rowsPerSec: number;
  ticketsPerSec: number;
  teamIds: string[];
  agentIds: string[];
}

/** xorshift-style PRNG (mulberry32): reproducible data for a seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
/** Picks by weight: [[value, weight], …]. */
function weighted<T>(table: readonly (readonly [T, number])[]): (r: Rand) => T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  return (r) => {
    let x = r() * total;
    for (const [v, w] of table) if ((x -= w) < 0) return v;
    return table[table.length - 1]![0];
  };
}

const CHANNEL = weighted([
  ['chat', 40],
  ['phone', 25],
  ['email', 15],
  ['portal', 10],
  ['walk_in', 5],
  ['api', 5],
] as const);
const CATEGORY = weighted([
  ['consultation', 40],
  ['product_use', 20],
  ['after_sales', 18],
  ['business_application', 10],
  ['complaint', 7],
  ['suggestion', 5],
] as const);
const PRIORITY = weighted([
  ['general', 75],
  ['important', 18],
  ['urgent', 7],
] as const);
/** Status by age of the ticket: open work is recent, the archive is old. */
const STATUS_RECENT = weighted([
  ['new', 25],
  ['accepted', 12],
  ['in_progress', 30],
  ['pending_customer', 10],
  ['pending_internal', 5],
  ['resolved', 10],
  ['reopened', 2],
  ['closed', 6],
] as const);
const STATUS_WEEKS = weighted([
  ['new', 2],
  ['in_progress', 15],
  ['pending_customer', 10],
  ['pending_internal', 5],
  ['resolved', 15],
  ['reopened', 2],
  ['closed', 51],
] as const);
const STATUS_OLD = weighted([
  ['in_progress', 1],
  ['pending_customer', 0.5],
  ['pending_internal', 0.5],
  ['closed', 60],
  ['archived', 38],
] as const);

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红鹏建华飞鑫波宇浩凯健俊帆帅旭宁琳晨辉';
const EN_FIRST = ['James', 'Mary', 'David', 'Linda', 'Michael', 'Sarah', 'Kevin', 'Emma', 'Tom'];
const EN_LAST = ['Smith', 'Brown', 'Wilson', 'Taylor', 'Clark', 'Lee', 'Walker', 'Hall', 'Young'];

const PRODUCTS = [
  '路由器',
  '智能手表',
  '扫地机器人',
  '空气净化器',
  '蓝牙耳机',
  '电热水器',
  '会员卡',
  '宽带套餐',
  '洗衣机',
  '投影仪',
  '电动牙刷',
  '净水器',
  '智能门锁',
  '笔记本电脑',
  '手机',
  '空调',
];
const PRODUCTS_EN = ['router', 'smart watch', 'vacuum robot', 'earbuds', 'laptop', 'phone plan'];
const ZH_SUBJECTS: Record<string, string[]> = {
  consultation: ['{p}积分如何兑换', '咨询{p}的价格和优惠', '{p}支持哪些支付方式', '{p}发票怎么开'],
  product_use: ['{p}无法连接网络', '{p}频繁掉线', '{p}开机后没有反应', '{p}固件升级失败'],
  after_sales: ['{p}申请退货', '{p}保修期内维修', '{p}换货进度查询', '{p}退款还没到账'],
  business_application: ['申请开通{p}', '{p}过户申请', '变更{p}绑定手机号', '申请{p}企业账户'],
  complaint: ['投诉：{p}维修超时', '投诉：客服态度差', '投诉：{p}重复扣费', '投诉：上门服务爽约'],
  suggestion: ['建议{p}增加夜间模式', '希望{p}App支持导出', '对{p}说明书的建议'],
};
const EN_SUBJECTS = [
  'Cannot connect my {p}',
  'Refund for {p} not received',
  'How do I redeem points for {p}',
  'Complaint about late repair of {p}',
  'Request to change the billing address',
  '{p} keeps disconnecting',
];
const ZH_BODIES = [
  '客户来电反映{p}在使用过程中出现问题，已按手册指引重启，仍未解决。订单号 {o}，联系电话 {m}。',
  '客户通过在线客服咨询{p}相关事宜，希望尽快得到答复。订单 {o}。',
  '客户表示{p}购买后一周内出现故障，要求退换。已核实购买记录 {o}，请售后跟进。',
  '客户对处理进度不满意，要求主管回电。联系电话 {m}，方便时间为工作日下午。',
  '客户希望了解{p}的保修政策，以及上门维修是否收费。',
];
const EN_BODIES = [
  'Customer reports that the {p} stopped working after the last update. Order {o}, phone {m}.',
  'Customer asks when the refund for order {o} will arrive; paid by card.',
  'Customer would like a call back about the {p}; prefers afternoons.',
];

const fill = (s: string, r: Rand, en: boolean) =>
  s
    .replace(/\{p\}/g, en ? pick(r, PRODUCTS_EN) : pick(r, PRODUCTS))
    .replace(/\{o\}/g, `${202_400_000_000 + Math.floor(r() * 99_999_999)}`)
    .replace(
      /\{m\}/g,
      `1${pick(r, ['3', '5', '7', '8', '9'])}${String(Math.floor(r() * 1e9)).padStart(9, '0')}`,
    );

/** COPY text format: tab-separated, \N for NULL, backslash escapes. */
const cell = (v: string | number | boolean | null | undefined): string =>
  v === null || v === undefined
    ? '\\N'
    : typeof v === 'string'
      ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
      : String(v);
const line = (cells: (string | number | boolean | null | undefined)[]) =>
  `${cells.map(cell).join('\t')}\n`;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const TICKET_COLUMNS = [
  'id',
  'number',
  'channel',
  'category',
  'tier',
  'priority',
  'subject',
  'description',
  'customer_id',
  'received_at',
  'registered_at',
  'registered_by',
  'receiving_agent_id',
  'owner_id',
  'team_id',
  'handler_id',
  'status',
  'green_channel',
  'tags',
  'first_response_at',
  'accepted_at',
  'resolved_at',
  'closed_at',
  'close_kind',
  'archived_at',
  'created_at',
  'updated_at',
  'sla_due_at',
  'sla_warn_at',
];
const CLOCK_COLUMNS = [
  'id',
  'ticket_id',
  'policy_version',
  'policy_key',
  'kind',
  'occurrence',
  'calendar_id',
  'limit_ms',
  'warn_after_ms',
  'pauses',
  'repeats',
  'state',
  'started_at',
  'warn_at',
  'due_at',
  'paused_since',
  'warned_at',
  'breached_at',
  'met_at',
  'breached',
  'business_ms_used',
  'created_at',
  'updated_at',
];

/** A COPY sink for either engine: `write` buffers lines, `flush` sends them. */
interface CopySink {
  write(chunk: string): Promise<void>;
  end(): Promise<void>;
}

async function copySink(database: Database, table: string, columns: string[]): Promise<CopySink> {
  const statement = `COPY ${table} (${columns.join(', ')}) FROM STDIN`;
  // Both drivers keep their client on drizzle's `$client` (not in the shared Db type).
  const client = (database.db as unknown as { $client: pg.Pool | PGlite }).$client;
  if (database.engine === 'postgres') {
    const conn = await (client as pg.Pool).connect();
    const stream = conn.query(copyFrom(statement));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    return {
      write: (chunk) =>
        new Promise<void>((resolve) => {
          if (stream.write(chunk)) resolve();
          else stream.once('drain', resolve);
        }),
      async end() {
        stream.end();
        try {
          await done;
        } finally {
          conn.release();
        }
      },
    };
  }
  const lite = client as PGlite;
  let parts: string[] = [];
  let size = 0;
  const flush = async () => {
    if (!parts.length) return;
    const blob = new Blob(parts);
    parts = [];
    size = 0;
    await lite.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob });
  };
  return {
    async write(chunk) {
      parts.push(chunk);
      size += chunk.length;
      if (size > 32 * 1024 * 1024) await flush();
    },
    end: flush,
  };
}

export async function generateTickets(
  database: Database,
  opts: GenerateOptions,
): Promise<Generated> {
  const { db } = database;
  const log = opts.log ?? (() => undefined);
  const r = prng(opts.seed ?? 20261125);
  const now = opts.now.getTime();
  const nowIso = opts.now.toISOString();
  const agentCount = opts.agents ?? 200;
  const customerCount = opts.customers ?? Math.max(1000, Math.round(opts.count / 8));
  const t0 = performance.now();

  // Teams and agents: five teams, agents dealt round-robin; the head agent is rank 0.
  await seedSlaDefaults(db, opts.now);
  const teamIds: string[] = opts.headAgent ? [opts.headAgent.teamId] : [];
  for (const name of ['一线客服', '技术支持', '售后', '投诉处理', '电话中心'].slice(
    teamIds.length,
  )) {
    const [row] = rowsOf<{ id: string }>(
      await db.execute(sql`INSERT INTO teams (name, created_at, updated_at)
        VALUES (${`${name} (bench ${randomUUID().slice(0, 6)})`}, ${nowIso}, ${nowIso}) RETURNING id`),
    );
    teamIds.push(row!.id);
  }
  const hash = await hashPassword(opts.password ?? 'bench-password-2026');
  const agentIds: string[] = opts.headAgent ? [opts.headAgent.id] : [];
  const agentTeam = new Map<string, string>(
    opts.headAgent ? [[opts.headAgent.id, teamIds[0]!]] : [],
  );
  const tag = randomUUID().slice(0, 8);
  for (let i = agentIds.length; i < agentCount; i++) {
    const name =
      i % 7 === 0
        ? `${pick(r, EN_FIRST)} ${pick(r, EN_LAST)}`
        : `${pick(r, [...SURNAMES])}${pick(r, [...GIVEN])}${pick(r, [...GIVEN])}`;
    const [row] = rowsOf<{ id: string }>(
      await db.execute(sql`INSERT INTO users (email, name, password_hash, roles, created_at, updated_at)
        VALUES (${`agent${i}-${tag}@kefu.bench`}, ${name}, ${hash}, '{agent}', ${nowIso}, ${nowIso})
        RETURNING id`),
    );
    const team = teamIds[i % teamIds.length]!;
    await db.execute(sql`INSERT INTO team_members (team_id, user_id) VALUES (${team}, ${row!.id})`);
    agentIds.push(row!.id);
    agentTeam.set(row!.id, team);
  }
  const membersOf = teamIds.map((team) => agentIds.filter((a) => agentTeam.get(a) === team));
  // 80 % spread evenly, 20 % Zipf: the busiest agent owns a few percent of everything.
  const harmonic = agentIds.reduce((s, _, k) => s + 1 / (k + 1), 0);
  const zipf = weighted(agentIds.map((id, k) => [id, 1 / (k + 1) / harmonic] as const));
  const owner = (rr: Rand) => (rr() < 0.2 ? zipf(rr) : pick(rr, agentIds));

  // Customers: Chinese names mostly; a few return often (Zipf again via the square).
  const customers = await copySink(database, 'customers', [
    'id',
    'name',
    'phone',
    'tier',
    'created_at',
    'updated_at',
  ]);
  const customerIds: string[] = [];
  const customerTier: string[] = [];
  let chunk = '';
  for (let i = 0; i < customerCount; i++) {
    const id = randomUUID();
    const en = r() < 0.12;
    const name = en
      ? `${pick(r, EN_FIRST)} ${pick(r, EN_LAST)}`
      : `${pick(r, [...SURNAMES])}${r() < 0.6 ? pick(r, [...GIVEN]) : ''}${pick(r, [...GIVEN])}`;
    const tier = r() < 0.05 ? 'vip' : 'regular';
    customerIds.push(id);
    customerTier.push(tier);
    chunk += line([
      id,
      name,
      `1${3 + Math.floor(r() * 7)}${String(i).padStart(9, '0')}`,
      tier,
      nowIso,
      nowIso,
    ]);
    if (chunk.length > 1 << 20) {
      await customers.write(chunk);
      chunk = '';
    }
  }
  await customers.write(chunk);
  await customers.end();
  log(`customers: ${customerCount}`);

  const version = (await currentVersion(db))!;
  const calendar = await resolveCalendar(db, {});
  const ticketSink = await copySink(database, 'tickets', TICKET_COLUMNS);
  const clockRows: string[] = [];
  const timerRows: string[] = [];
  let clocks = 0;
  const yearMs = 365 * 86_400_000;
  // Received times ascending, so numbers follow them per year as the API would hand them out.
  const ages = Array.from({ length: opts.count }, () => Math.pow(r(), 1.3) * yearMs).sort(
    (a, b) => b - a,
  );
  // Numbers continue the per-year counters (demo tickets may exist already).
  const serials = await lastTicketNumbers(db);
  chunk = '';
  for (let i = 0; i < opts.count; i++) {
    const age = ages[i]!;
    const received = Math.floor(now - age);
    const year = new Date(received).getUTCFullYear();
    const serial = (serials.get(year) ?? 0) + 1;
    serials.set(year, serial);
    const id = randomUUID();
    const channel = CHANNEL(r);
    const category = CATEGORY(r);
    const tier =
      category === 'complaint' ? 'L3' : category === 'after_sales' || r() < 0.1 ? 'L2' : 'L1';
    const priority = PRIORITY(r);
    const days = age / 86_400_000;
    const status = days < 2 ? STATUS_RECENT(r) : days < 14 ? STATUS_WEEKS(r) : STATUS_OLD(r);
    const ownerId = owner(r);
    const teamIndex =
      category === 'complaint'
        ? 3
        : category === 'after_sales'
          ? 2
          : category === 'product_use'
            ? 1
            : r() < 0.5
              ? 0
              : r() < 0.3
                ? 4
                : -1;
    const teamId = teamIndex >= 0 ? teamIds[teamIndex]! : null;
    const handlerId =
      teamIndex >= 0 && status !== 'new' && r() < 0.7 ? pick(r, membersOf[teamIndex]!) : null;
    const en = r() < 0.15;
    const subject = fill(en ? pick(r, EN_SUBJECTS) : pick(r, ZH_SUBJECTS[category]!), r, en);
    const description = fill(en ? pick(r, EN_BODIES) : pick(r, ZH_BODIES), r, en);
    const ci = Math.floor(Math.pow(r(), 2) * customerCount);
    const customerId = customerIds[ci]!;
    const closed = status === 'closed' || status === 'archived';
    const resolvedAt =
      closed || status === 'resolved' ? received + 3_600_000 * (1 + r() * 48) : null;
    const closedAt = closed ? resolvedAt! + 86_400_000 * (1 + r() * 6) : null;
    const archivedAt = status === 'archived' ? closedAt! + 30 * 86_400_000 : null;
    const touched = Math.min(
      now,
      archivedAt ?? closedAt ?? resolvedAt ?? received + r() * 3_600_000,
    );

    // Clocks of open tickets only: closed ones would add met rows no queue reads.
    let dueMin: number | null = null;
    let warnMin: number | null = null;
    const open = !closed && status !== 'resolved';
    const policy = open
      ? matchPolicy(version.policies, {
          channel,
          category,
          tier,
          priority,
          customerTier: customerTier[ci]!,
          receivedAt: received,
        })
      : null;
    if (policy) {
      const plan = planTargets(
        policy,
        {
          channel,
          category,
          tier,
          priority,
          customerTier: customerTier[ci]!,
          receivedAt: received,
        },
        calendar.cal,
      );
      for (const t of plan.targets) {
        const kind = t.def.kind;
        const answered =
          status !== 'new' &&
          ['first_response', 'off_hours_ack', 'assignment', 'complaint_registered'].includes(kind);
        const paused =
          !answered &&
          status === 'pending_customer' &&
          t.def.pausesWhilePendingCustomer &&
          t.dueAt > now;
        const state = answered
          ? 'met'
          : paused
            ? 'paused'
            : t.dueAt <= now
              ? 'breached'
              : 'running';
        const clockId = randomUUID();
        const metAt = answered
          ? Math.floor(Math.min(now, received + Math.min(t.dueAt - received, 600_000) * r()))
          : null;
        clockRows.push(
          line([
            clockId,
            id,
            version.version,
            policy.key,
            kind,
            1,
            t.def.clock === 'business' ? calendar.id : null,
            t.limitMs,
            t.warnAfterMs,
            t.def.pausesWhilePendingCustomer,
            t.def.repeats,
            state,
            iso(t.startAt),
            iso(t.warnAt),
            iso(t.dueAt),
            paused ? iso(now - 3_600_000) : null,
            state === 'breached' || (state === 'running' && t.warnAt <= now) ? iso(t.warnAt) : null,
            state === 'breached' ? iso(t.dueAt) : null,
            iso(metAt),
            state === 'breached',
            answered ? Math.max(0, metAt! - received) : null,
            nowIso,
            nowIso,
          ]),
        );
        clocks++;
        if (state === 'running') {
          timerRows.push(line([clockId, 'breach', iso(t.dueAt)]));
          if (t.warnAt > now && t.warnAt < t.dueAt)
            timerRows.push(line([clockId, 'warning', iso(t.warnAt)]));
        }
        if (state === 'running' || state === 'breached') {
          dueMin = dueMin === null ? t.dueAt : Math.min(dueMin, t.dueAt);
          warnMin = warnMin === null ? t.warnAt : Math.min(warnMin, t.warnAt);
        }
      }
    }

    chunk += line([
      id,
      `KF-${year}-${String(serial).padStart(6, '0')}`,
      channel,
      category,
      tier,
      priority,
      subject,
      description,
      customerId,
      iso(received),
      iso(received + 60_000),
      ownerId,
      ownerId,
      ownerId,
      teamId,
      handlerId,
      status,
      category === 'complaint' && tier === 'L3',
      r() < 0.1 ? `{${pick(r, ['会员', 'VIP', '加急', '回访'])}}` : '{}',
      status === 'new' ? null : iso(received + 120_000),
      status === 'new' ? null : iso(received + 300_000),
      iso(resolvedAt),
      iso(closedAt),
      closed ? pick(r, ['confirmed', 'confirmed', 'confirmed', 'auto_no_reply']) : null,
      iso(archivedAt),
      iso(received + 60_000),
      iso(touched),
      iso(dueMin),
      iso(warnMin),
    ]);
    if (chunk.length > 1 << 20) {
      await ticketSink.write(chunk);
      chunk = '';
    }
    if ((i + 1) % 100_000 === 0) log(`tickets: ${i + 1}`);
  }
  await ticketSink.write(chunk);
  await ticketSink.end();

  const clockSink = await copySink(database, 'sla_clocks', CLOCK_COLUMNS);
  for (let i = 0; i < clockRows.length; i += 5000) {
    await clockSink.write(clockRows.slice(i, i + 5000).join(''));
  }
  await clockSink.end();
  const timerSink = await copySink(database, 'sla_timers', ['clock_id', 'kind', 'fire_at']);
  await timerSink.write(timerRows.join(''));
  await timerSink.end();

  // The API numbers new tickets after these.
  for (const [year, last] of serials) await raiseTicketNumberFloor(db, year, last);
  await db.execute(sql`ANALYZE`);
  const ms = performance.now() - t0;
  // Not timed: what autovacuum does soon after a bulk load (and on a busy server may not have
  // done yet) — merge the GIN indexes' pending lists, which every text search otherwise reads
  // through (125,000 customers: 140 ms a query before, 0.3 ms after).
  await db.execute(sql`VACUUM customers, tickets`);
  const rows = customerCount + opts.count + clocks + timerRows.length;
  return {
    tickets: opts.count,
    customers: customerCount,
    clocks,
    timers: timerRows.length,
    ms,
    rowsPerSec: (rows / ms) * 1000,
    ticketsPerSec: (opts.count / ms) * 1000,
    teamIds,
    agentIds,
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '100000' },
      'data-dir': { type: 'string', default: 'memory://' },
      seed: { type: 'string' },
    },
  });
  const url = process.env.DATABASE_URL;
  const database = await openDatabase(url ? { url } : { dataDir: values['data-dir'] });
  try {
    await migrate(database);
    const g = await generateTickets(database, {
      count: Number(values.count),
      now: new Date(),
      seed: values.seed ? Number(values.seed) : undefined,
      log: (l) => console.error(l),
    });
    console.log(
      `${database.engine}: ${g.tickets} tickets, ${g.customers} customers, ${g.clocks} clocks, ` +
        `${g.timers} timers in ${(g.ms / 1000).toFixed(1)} s — ${Math.round(g.rowsPerSec)} rows/s ` +
        `(${Math.round(g.ticketsPerSec)} tickets/s)`,
    );
  } finally {
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
