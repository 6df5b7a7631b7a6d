import { describe, expect, it } from 'vitest';
import { weekdays } from '../../sla/rules/calendar.js';
import { appealDeadline, canAppeal, nthWorkingDayAfter } from './appeal.js';
import { checkReplies, sentenceAround } from './checks.js';
import {
  allocate,
  drawSample,
  drawSeedKey,
  hashBytesExtended,
  inspectorFor,
  md5Key,
  planSample,
  quotaOf,
  sampleOrderKey,
  type Candidate,
} from './sampling.js';
import {
  DEFAULT_CRITERIA,
  criteriaErrors,
  scoreErrors,
  scoreTotal,
  spreadOf,
} from './scorecard.js';
import { jobDueAt, mondayOf, previousWeekAt } from './week.js';

const CHANNELS = ['phone', 'email', 'chat', 'portal'];
const CATEGORIES = ['consultation', 'complaint', 'repair'];

function candidates(perAgent: Record<string, number>): Candidate[] {
  const out: Candidate[] = [];
  let n = 0;
  for (const [agentId, count] of Object.entries(perAgent))
    for (let i = 0; i < count; i++, n++)
      out.push({
        ticketId: `t-${String(n).padStart(6, '0')}`,
        agentId,
        channel: CHANNELS[n % CHANNELS.length]!,
        category: CATEGORIES[(n >> 2) % CATEGORIES.length]!,
      });
  return out;
}

describe('sampling', () => {
  it('takes 10 % per agent, rounding half up, at least one each, at most all', () => {
    expect(quotaOf(0, 10, 1)).toBe(0);
    expect(quotaOf(1, 10, 1)).toBe(1);
    expect(quotaOf(4, 10, 1)).toBe(1);
    expect(quotaOf(14, 10, 1)).toBe(1);
    expect(quotaOf(15, 10, 1)).toBe(2);
    expect(quotaOf(25, 10, 1)).toBe(3);
    expect(quotaOf(100, 10, 1)).toBe(10);
    expect(quotaOf(3, 100, 1)).toBe(3);
    expect(quotaOf(2, 10, 5)).toBe(2);
  });

  it('covers every agent with work, with each agent’s quota', () => {
    const per = { a: 100, b: 37, c: 1, d: 9, e: 250 };
    const items = drawSample(candidates(per), {
      seed: 's1',
      percent: 10,
      minPerAgent: 1,
      inspectors: ['q1', 'q2'],
    });
    const counts = new Map<string, number>();
    for (const i of items) counts.set(i.agentId, (counts.get(i.agentId) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ a: 10, b: 4, c: 1, d: 1, e: 25 });
    expect(new Set(items.map((i) => i.ticketId)).size).toBe(items.length);
  });

  it('is reproducible from the seed, whatever the input order; another seed draws others', () => {
    const list = candidates({ a: 300, b: 120 });
    const opts = { seed: 'week-1', percent: 10, minPerAgent: 1, inspectors: ['q1', 'q2', 'q3'] };
    const one = drawSample(list, opts);
    const two = drawSample([...list].reverse(), opts);
    expect(two).toEqual(one);
    const other = drawSample(list, { ...opts, seed: 'week-2' });
    expect(other.map((i) => i.ticketId)).not.toEqual(one.map((i) => i.ticketId));
  });

  it('stratifies by channel and category in proportion', () => {
    const list = candidates({ a: 1200 });
    const items = drawSample(list, { seed: 'x', percent: 10, minPerAgent: 1, inspectors: [] });
    expect(items).toHaveLength(120);
    const strata = new Map<string, number>();
    for (const i of items)
      strata.set(`${i.channel}/${i.category}`, (strata.get(`${i.channel}/${i.category}`) ?? 0) + 1);
    // 12 strata of 100 tickets each: 10 items from each.
    expect([...strata.values()]).toEqual(Array(12).fill(10));
  });

  it('allocates in proportion, summing to the quota', () => {
    const shares = allocate(
      [
        { key: 'x', size: 7 },
        { key: 'y', size: 2 },
        { key: 'z', size: 1 },
      ],
      3,
      () => 0,
    );
    expect([...shares.values()].reduce((s, n) => s + n, 0)).toBe(3);
    expect(shares.get('x')).toBe(2);
  });

  it('is random: over many seeds each ticket is drawn about 10 % of the time', () => {
    const list = candidates({ a: 50 });
    const hits = new Map<string, number>();
    for (let s = 0; s < 2000; s++)
      for (const i of drawSample(list, {
        seed: `s${s}`,
        percent: 10,
        minPerAgent: 1,
        inspectors: [],
      }))
        hits.set(i.ticketId, (hits.get(i.ticketId) ?? 0) + 1);
    for (const c of list) {
      const rate = (hits.get(c.ticketId) ?? 0) / 2000;
      expect(rate).toBeGreaterThan(0.06);
      expect(rate).toBeLessThan(0.14);
    }
  });

  it('assigns inspectors round-robin, never to their own work', () => {
    const list = candidates({ q1: 40, b: 40, c: 40 });
    const items = drawSample(list, {
      seed: 'r',
      percent: 25,
      minPerAgent: 1,
      inspectors: ['q1', 'q2'],
    });
    for (const i of items) expect(i.inspectorId).not.toBe(i.agentId);
    const load = new Map<string | null, number>();
    for (const i of items) load.set(i.inspectorId, (load.get(i.inspectorId) ?? 0) + 1);
    expect(load.get(null)).toBeUndefined();
    // q1's own 10 items all go to q2; the other 20 alternate.
    expect(load.get('q2')).toBeGreaterThanOrEqual(load.get('q1')!);
    const alone = drawSample(candidates({ q1: 10 }), {
      seed: 'r',
      percent: 10,
      minPerAgent: 1,
      inspectors: ['q1'],
    });
    expect(alone[0]!.inspectorId).toBeNull();
  });
});

describe('sampling plan and inspectors (what the database draw uses)', () => {
  it('orders by a seeded hash of the id, as PostgreSQL computes it', () => {
    // SELECT ('x' || left(md5('s'), 16))::bit(64)::bigint, and uuid_hash_extended(id, that)
    // (hashtextextended for an id that is not a uuid).
    expect(drawSeedKey('s')).toBe(272398151264360449n);
    expect(sampleOrderKey('s', 't-1')).toBe(-3853886246666562995n);
    for (const id of [
      '6f1c2d3e-0000-4000-8000-00000000beef',
      '6F1C2D3E-0000-4000-8000-00000000BEEF',
    ])
      expect(sampleOrderKey('s', id)).toBe(-2354764363534510361n);
    // hash_bytes_extended on ids of every tail length, with seed 0 and a negative seed.
    const pg: [string, bigint, bigint][] = [
      ['', 0n, -6939563903564495251n],
      ['a', 0n, 3591986179850072241n],
      ['t-1', 0n, -4855544527869137733n],
      ['abcdefghijkl', 42n, 6421059121120153082n],
      ['abcdefghijklmnopq', -7n, 8443306346698934408n],
      ['中文x', -7n, 6539273494953587404n],
    ];
    for (const [id, seed, want] of pg)
      expect(hashBytesExtended(new TextEncoder().encode(id), seed)).toBe(want);
    expect(sampleOrderKey('s', 't-1')).not.toBe(sampleOrderKey('s2', 't-1'));
    // Runs drawn before migration 0041 (order_key 'md5'): SELECT md5('s:t-1').
    expect(md5Key('s', 't-1')).toBe('46c5f0edf50bb80263ad3647b977398c');
    const list = candidates({ a: 40, b: 7 });
    const opts = { seed: 'old', percent: 10, minPerAgent: 1, inspectors: [] };
    const byMd5 = drawSample(list, { ...opts, order: 'md5' });
    const md5First = [...list.filter((c) => c.agentId === 'b')].sort((x, y) =>
      md5Key('old', x.ticketId) < md5Key('old', y.ticketId) ? -1 : 1,
    );
    // b's 7 tickets: one item, in one stratum or another, first of it in md5 order.
    const bItem = byMd5.find((i) => i.agentId === 'b')!;
    const sameStratum = md5First.filter(
      (c) => c.channel === bItem.channel && c.category === bItem.category,
    );
    expect(bItem.ticketId).toBe(sameStratum[0]!.ticketId);
    expect(drawSample(list, { ...opts, order: 'md5' })).toEqual(byMd5);
  });

  it('plans from counts alone the shares drawSample takes', () => {
    const list = candidates({ a: 100, b: 37, c: 1 });
    const counts = new Map<
      string,
      { agentId: string; channel: string; category: string; size: number }
    >();
    for (const c of list) {
      const key = `${c.agentId}/${c.channel}/${c.category}`;
      const s = counts.get(key) ?? {
        agentId: c.agentId,
        channel: c.channel,
        category: c.category,
        size: 0,
      };
      s.size += 1;
      counts.set(key, s);
    }
    const plan = planSample([...counts.values()], { seed: 'p', percent: 10, minPerAgent: 1 });
    const perAgent = (agent: string) =>
      plan.filter((p) => p.agentId === agent).reduce((s, p) => s + p.take, 0);
    expect([perAgent('a'), perAgent('b'), perAgent('c')]).toEqual([10, 4, 1]);
    for (const p of plan) expect(p.take).toBeLessThanOrEqual(p.size);
    const drawn = drawSample(list, { seed: 'p', percent: 10, minPerAgent: 1, inspectors: [] });
    for (const p of plan)
      expect(
        drawn.filter(
          (d) => d.agentId === p.agentId && d.channel === p.channel && d.category === p.category,
        ),
      ).toHaveLength(p.take);
    // Input order and duplicate strata rows do not matter.
    expect(
      planSample([...counts.values()].reverse(), { seed: 'p', percent: 10, minPerAgent: 1 }),
    ).toEqual(plan);
  });

  it('round-robins from the offset, skipping the agent’s own name', () => {
    const pool = ['q1', 'q2', 'q3'];
    expect([0, 1, 2, 3].map((k) => inspectorFor(k, 'x', pool, 1))).toEqual([
      'q2',
      'q3',
      'q1',
      'q2',
    ]);
    expect([0, 1, 2, 3].map((k) => inspectorFor(k, 'q2', pool, 1))).toEqual([
      'q3',
      'q1',
      'q3',
      'q1',
    ]);
    expect(inspectorFor(0, 'q1', ['q1'], 0)).toBeNull();
    expect(inspectorFor(5, 'x', [], 0)).toBeNull();
    for (let k = 0; k < 50; k++)
      for (const agent of pool) expect(inspectorFor(k, agent, pool, k % 3)).not.toBe(agent);
  });
});

describe('scorecard', () => {
  const all = (n: number) =>
    Object.fromEntries(DEFAULT_CRITERIA.map((c) => [c.key, Math.min(n, c.scale)]));

  it('weights criteria to a total on 100', () => {
    expect(scoreTotal(DEFAULT_CRITERIA, all(5), 0.6)).toEqual({
      total: 100,
      criticalFailed: false,
      failed: [],
    });
    // attitude 3/5 (25 × 0.6 = 15) + timeliness 5/5 (20) + resolution 4/5 (20) + accuracy 5/5 (20) + script 0/5 = 75
    const r = scoreTotal(
      DEFAULT_CRITERIA,
      { attitude: 3, timeliness: 5, resolution: 4, accuracy: 5, script: 0, no_violation: 1 },
      0.6,
    );
    expect(r.total).toBe(75);
    expect(r.failed).toEqual(['script']);
  });

  it('a failed critical item makes the total 0', () => {
    const r = scoreTotal(DEFAULT_CRITERIA, { ...all(5), no_violation: 0 }, 0.6);
    expect(r).toEqual({ total: 0, criticalFailed: true, failed: ['no_violation'] });
  });

  it('rounds to one decimal', () => {
    const crit = [
      { key: 'a', label: 'a', weight: 1, scale: 3, critical: false },
      { key: 'b', label: 'b', weight: 2, scale: 3, critical: false },
    ];
    expect(scoreTotal(crit, { a: 1, b: 3 }, 0.5).total).toBe(77.8);
  });

  it('validates scores and templates', () => {
    expect(scoreErrors(DEFAULT_CRITERIA, all(5))).toEqual([]);
    const errs = scoreErrors(DEFAULT_CRITERIA, { attitude: 6, nope: 1 });
    expect(errs.map((e) => e.path)).toContain('scores.attitude');
    expect(errs.map((e) => e.path)).toContain('scores.nope');
    expect(errs.map((e) => e.path)).toContain('scores.timeliness');
    expect(criteriaErrors(DEFAULT_CRITERIA)).toEqual([]);
    expect(
      criteriaErrors([{ key: 'a', label: 'a', weight: 0, scale: 5, critical: false }]),
    ).not.toEqual([]);
  });

  it('spread of calibration totals', () => {
    expect(spreadOf([80])).toBeNull();
    expect(spreadOf([80, 72.5, 90])).toBe(17.5);
  });
});

describe('appeal deadlines', () => {
  const cal = weekdays(
    'Asia/Shanghai',
    [{ start: '09:00', end: '18:00' }],
    ['2026-10-01', '2026-10-02'],
    ['2026-09-27'],
  );

  it('counts working days, skipping weekends and holidays, counting make-up days', () => {
    // Thursday 2026-09-24 10:00 Shanghai → 3 working days: Fri 25, Sun 27 (make-up), Mon 28.
    const thu = Date.parse('2026-09-24T02:00:00Z');
    expect(nthWorkingDayAfter(thu, 3, cal)).toBe('2026-09-28');
    // Wednesday 30 → Thu 1 and Fri 2 are holidays, Sat/Sun off: Mon 5, Tue 6, Wed 7.
    expect(nthWorkingDayAfter(Date.parse('2026-09-30T02:00:00Z'), 3, cal)).toBe('2026-10-07');
  });

  it('closes at local midnight after the last day', () => {
    const thu = Date.parse('2026-09-24T02:00:00Z');
    const deadline = appealDeadline(thu, 3, cal);
    expect(new Date(deadline).toISOString()).toBe('2026-09-28T16:00:00.000Z');
    expect(canAppeal(deadline - 1, deadline)).toBe(true);
    expect(canAppeal(deadline, deadline)).toBe(false);
  });
});

describe('automatic checks', () => {
  const rules = {
    forbidden: [{ phrase: '我不知道', suggestion: '我帮您确认' }],
    required: [{ phrase: '您好' }],
  };

  it('highlights a forbidden phrase in its sentence', () => {
    const text = '您好，已收到。这个问题我不知道怎么办！请稍后。';
    const s = sentenceAround(text, text.indexOf('我不知道'), text.indexOf('我不知道') + 4);
    expect(s.sentence).toBe('这个问题我不知道怎么办！');
    expect(s.sentence.slice(s.start, s.end)).toBe('我不知道');
  });

  it('flags a missing greeting, a missing closing and missed SLA targets', () => {
    const findings = checkReplies(
      [
        { eventId: 'e1', at: '', text: '已经处理。我不知道。' },
        { eventId: 'e2', at: '', text: '好的。' },
      ],
      rules,
      [
        {
          kind: 'first_response',
          occurrence: 1,
          dueAt: '2026-01-01T00:00:00Z',
          breachedAt: '2026-01-01T00:00:00Z',
        },
        { kind: 'update', occurrence: 1, dueAt: '2026-01-01T00:00:00Z', breachedAt: null },
      ],
    );
    expect(findings.map((f) => f.kind)).toEqual([
      'forbidden_phrase',
      'missing_greeting',
      'missing_closing',
      'sla_missed',
    ]);
  });

  it('a polite reply passes', () => {
    expect(
      checkReplies(
        [{ eventId: 'e', at: '', text: '您好，已为您处理。祝您生活愉快，谢谢！' }],
        rules,
        [],
      ),
    ).toEqual([]);
  });
});

describe('weeks', () => {
  it('finds Mondays and the due week', () => {
    expect(mondayOf('2026-12-03')).toBe('2026-11-30');
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
    // Monday 2026-11-30 07:00 Shanghai: due at 06:00; last week starts 11-23.
    const t = Date.parse('2026-11-29T23:00:00Z');
    expect(previousWeekAt(t, 'Asia/Shanghai')).toBe('2026-11-23');
    expect(jobDueAt(t, 'Asia/Shanghai', 1, 6)).toBe(true);
    expect(jobDueAt(Date.parse('2026-11-29T21:00:00Z'), 'Asia/Shanghai', 1, 6)).toBe(false);
  });
});
