import { describe, expect, it } from 'vitest';
import {
  archiveDue,
  autoCloseDue,
  closingPossible,
  decideClose,
  reopenAllowed,
  type ClosingFacts,
} from './closing.js';
import {
  maskContact,
  maskEmail,
  maskHandle,
  maskPhone,
  normalisePhone,
  seesFullContact,
} from './masking.js';
import { formatTicketNumber, parseTicketNumber, yearIn } from './numbers.js';
import { receivedAtProblem, registrationGaps, type Registration } from './registration.js';
import { defaultTier, escalatesToGreenChannel, isGreenChannel } from './tiers.js';
import { allowedTransitions, judgeTransition, type TransitionContext } from './transitions.js';
import { STATUSES, TIERS } from './vocabulary.js';

const NOW = new Date('2026-03-10T08:00:00Z');
const days = (n: number) => n * 86_400_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe('tier defaults', () => {
  it('complaints are L3, everything else L1, unless configured or chosen', () => {
    expect(defaultTier('complaint')).toBe('L3');
    for (const c of [
      'consultation',
      'product_use',
      'after_sales',
      'business_application',
      'suggestion',
    ])
      expect(defaultTier(c)).toBe('L1');
    expect(defaultTier('after_sales', null, 'L2')).toBe('L2');
    expect(defaultTier('complaint', 'L2')).toBe('L2');
    expect(defaultTier('consultation', 'L3', 'L1')).toBe('L3');
  });

  it('L3 is the green channel; supervisors are told only when a ticket becomes L3', () => {
    expect(TIERS.filter(isGreenChannel)).toEqual(['L3']);
    expect(escalatesToGreenChannel(null, 'L3')).toBe(true);
    expect(escalatesToGreenChannel('L1', 'L3')).toBe(true);
    expect(escalatesToGreenChannel('L3', 'L3')).toBe(false);
    expect(escalatesToGreenChannel('L2', 'L1')).toBe(false);
    expect(escalatesToGreenChannel(null, 'L2')).toBe(false);
  });
});

describe('registration completeness (先登记、后处理)', () => {
  const full: Registration = {
    customerName: '王先生',
    contacts: ['13812345678', null, null],
    content: '空调不制冷',
    channel: 'phone',
    receivedAt: NOW,
    receivingAgentId: 'u1',
  };

  it('a complete registration has no gaps', () => {
    expect(registrationGaps(full)).toEqual([]);
    expect(registrationGaps({ ...full, contacts: [null, null, 'wx_wang'] })).toEqual([]);
  });

  const cases: [keyof Registration, unknown, string][] = [
    ['customerName', '  ', 'customer.name'],
    ['contacts', [null, '', '   '], 'customer.contact'],
    ['content', '', 'description'],
    ['channel', null, 'channel'],
    ['receivedAt', null, 'receivedAt'],
    ['receivingAgentId', undefined, 'receivingAgent'],
  ];
  for (const [field, value, path] of cases) {
    it(`missing ${field} is reported on ${path}`, () => {
      expect(registrationGaps({ ...full, [field]: value }).map((g) => g.path)).toEqual([path]);
    });
  }

  it('reports every gap at once', () => {
    const empty: Registration = {
      customerName: null,
      contacts: [],
      content: null,
      channel: null,
      receivedAt: null,
      receivingAgentId: null,
    };
    expect(registrationGaps(empty)).toHaveLength(6);
  });

  it('past received times only for phone and walk-in; never in the future', () => {
    expect(receivedAtProblem(ago(days(1)), NOW, true)).toBeNull();
    expect(receivedAtProblem(ago(days(1)), NOW, false)).toMatch(/phone and walk-in/);
    expect(receivedAtProblem(ago(30_000), NOW, false)).toBeNull();
    expect(receivedAtProblem(new Date(NOW.getTime() + 120_000), NOW, true)).toMatch(/future/);
    expect(receivedAtProblem(NOW, NOW, false)).toBeNull();
  });
});

describe('closing rules (闭环)', () => {
  const resolved: ClosingFacts = {
    status: 'resolved',
    category: 'consultation',
    confirmed: false,
    hasReturnVisit: false,
  };
  const followUp = { plan: '下周回访', dueAt: new Date(NOW.getTime() + days(3)) };

  it('a confirmed resolution closes as confirmed', () => {
    expect(decideClose({ ...resolved, confirmed: true }, {}, NOW)).toEqual({
      ok: true,
      kind: 'confirmed',
    });
    expect(decideClose(resolved, { customerConfirmed: true }, NOW)).toEqual({
      ok: true,
      kind: 'confirmed',
    });
  });

  it('confirmation only counts from resolved', () => {
    const verdict = decideClose(
      { ...resolved, status: 'in_progress' },
      { customerConfirmed: true },
      NOW,
    );
    expect(verdict.ok).toBe(false);
  });

  it('unresolved needs reason, plan and a future date — each reported', () => {
    const v = decideClose(resolved, {}, NOW);
    expect(v).toMatchObject({ ok: false, code: 'validation_failed' });
    if (!v.ok)
      expect(v.errors.map((e) => e.path)).toEqual(['reason', 'followUp.plan', 'followUp.dueAt']);
    const past = decideClose(
      { ...resolved, status: 'in_progress' },
      { reason: '备件缺货', followUp: { plan: 'x', dueAt: ago(1) } },
      NOW,
    );
    if (past.ok) throw new Error('expected refusal');
    expect(past.errors).toEqual([{ path: 'followUp.dueAt', message: 'must be in the future' }]);
    const blankPlan = decideClose(
      resolved,
      { reason: 'r', followUp: { ...followUp, plan: ' ' } },
      NOW,
    );
    expect(blankPlan.ok).toBe(false);
    expect(
      decideClose({ ...resolved, status: 'in_progress' }, { reason: '备件缺货', followUp }, NOW),
    ).toEqual({ ok: true, kind: 'unresolved' });
  });

  it('an explicit follow-up closes unresolved even when confirmed', () => {
    expect(
      decideClose({ ...resolved, confirmed: true }, { reason: '部分解决', followUp }, NOW),
    ).toEqual({ ok: true, kind: 'unresolved' });
  });

  it('a complaint needs a return visit before any closing', () => {
    const complaint = { ...resolved, category: 'complaint', confirmed: true };
    expect(decideClose(complaint, {}, NOW)).toMatchObject({
      ok: false,
      code: 'return_visit_required',
    });
    expect(decideClose(complaint, { reason: 'r', followUp }, NOW)).toMatchObject({
      ok: false,
      code: 'return_visit_required',
    });
    expect(closingPossible(complaint)).toBe(false);
    expect(decideClose({ ...complaint, hasReturnVisit: true }, {}, NOW)).toEqual({
      ok: true,
      kind: 'confirmed',
    });
  });

  it('auto-close after N days without reply (default 7), never an unvisited complaint', () => {
    const r = { ...resolved, resolvedAt: ago(days(7)) };
    expect(autoCloseDue(r, NOW, 7)).toBe(true);
    expect(autoCloseDue({ ...r, resolvedAt: ago(days(7) - 1) }, NOW, 7)).toBe(false);
    expect(autoCloseDue({ ...r, resolvedAt: ago(days(3)) }, NOW, 3)).toBe(true);
    expect(autoCloseDue({ ...r, status: 'reopened' }, NOW, 7)).toBe(false);
    expect(autoCloseDue({ ...r, resolvedAt: null }, NOW, 7)).toBe(false);
    expect(autoCloseDue({ ...r, category: 'complaint' }, NOW, 7)).toBe(false);
    expect(autoCloseDue({ ...r, category: 'complaint', hasReturnVisit: true }, NOW, 7)).toBe(true);
  });

  it('reopen within the window; archive after N days', () => {
    expect(reopenAllowed(ago(days(15)), NOW, 15)).toBe(true);
    expect(reopenAllowed(ago(days(15) + 1), NOW, 15)).toBe(false);
    expect(reopenAllowed(null, NOW, 15)).toBe(false);
    expect(archiveDue(ago(days(30)), NOW, 30)).toBe(true);
    expect(archiveDue(ago(days(30) - 1), NOW, 30)).toBe(false);
    expect(archiveDue(null, NOW, 30)).toBe(false);
    expect(archiveDue(ago(days(40)), NOW, 30, true)).toBe(false);
  });
});

describe('transition verdicts with the record rules', () => {
  const ctx: TransitionContext = {
    status: 'new',
    category: 'consultation',
    confirmed: false,
    hasReturnVisit: false,
    closedAt: null,
    merged: false,
    followUpOpen: false,
    registrationGaps: [],
    actors: ['agent'],
    isOwner: true,
    now: NOW,
    reopenWindowDays: 15,
    archiveAfterDays: 30,
  };

  it('an incomplete registration cannot move past new', () => {
    const gaps = [{ path: 'customer.contact', message: 'missing' }];
    expect(judgeTransition({ ...ctx, registrationGaps: gaps }, 'accepted')).toMatchObject({
      ok: false,
      status: 422,
      code: 'registration_incomplete',
      errors: gaps,
    });
    expect(allowedTransitions({ ...ctx, registrationGaps: gaps })).toEqual([]);
    expect(allowedTransitions(ctx)).toEqual(['accepted']);
  });

  it('illegal → 409, role → 403', () => {
    expect(judgeTransition(ctx, 'closed')).toMatchObject({
      status: 409,
      code: 'illegal_transition',
    });
    expect(judgeTransition({ ...ctx, actors: ['qa_inspector'] }, 'accepted')).toMatchObject({
      status: 403,
      code: 'transition_not_permitted',
    });
  });

  it('only the owner or a supervisor/admin closes (首问负责制)', () => {
    const working = { ...ctx, status: 'in_progress' as const, isOwner: false };
    expect(judgeTransition(working, 'closed')).toMatchObject({ status: 403, code: 'owner_closes' });
    expect(judgeTransition({ ...working, actors: ['specialist'] }, 'closed')).toMatchObject({
      code: 'owner_closes',
    });
    expect(judgeTransition({ ...working, actors: ['supervisor'] }, 'closed')).toEqual({ ok: true });
    expect(judgeTransition({ ...working, isOwner: true }, 'closed')).toEqual({ ok: true });
    expect(allowedTransitions(working)).toEqual([
      'pending_customer',
      'pending_internal',
      'resolved',
    ]);
  });

  it('a complaint without a return visit shows no close button', () => {
    const c = { ...ctx, status: 'resolved' as const, category: 'complaint' };
    expect(allowedTransitions(c)).toEqual(['reopened']);
    expect(judgeTransition(c, 'closed')).toMatchObject({ code: 'return_visit_required' });
    expect(allowedTransitions({ ...c, hasReturnVisit: true })).toEqual(['closed', 'reopened']);
  });

  it('reopen window and archive delay', () => {
    const closed = { ...ctx, status: 'closed' as const, actors: ['supervisor' as const] };
    expect(allowedTransitions({ ...closed, closedAt: ago(days(1)) })).toEqual(['reopened']);
    expect(allowedTransitions({ ...closed, closedAt: ago(days(20)) })).toEqual([]);
    expect(judgeTransition({ ...closed, closedAt: ago(days(20)) }, 'reopened')).toMatchObject({
      code: 'reopen_window_passed',
    });
    expect(allowedTransitions({ ...closed, closedAt: ago(days(31)) })).toEqual(['archived']);
    expect(judgeTransition({ ...closed, closedAt: ago(days(1)) }, 'archived')).toMatchObject({
      code: 'archive_not_due',
    });
    expect(allowedTransitions({ ...closed, closedAt: ago(days(31)), followUpOpen: true })).toEqual(
      [],
    );
  });

  it('a merged ticket is never reopened', () => {
    const merged = { ...ctx, status: 'closed' as const, closedAt: ago(days(1)), merged: true };
    expect(judgeTransition(merged, 'reopened')).toMatchObject({
      status: 409,
      code: 'ticket_merged',
    });
    expect(allowedTransitions(merged)).toEqual([]);
  });

  it('every status yields only legal, permitted targets for every role', () => {
    for (const status of STATUSES) {
      const all = allowedTransitions({
        ...ctx,
        status,
        closedAt: ago(days(40)),
        hasReturnVisit: true,
        actors: ['admin'],
      });
      for (const to of all)
        expect(
          judgeTransition(
            { ...ctx, status, closedAt: ago(days(40)), hasReturnVisit: true, actors: ['admin'] },
            to,
          ),
        ).toEqual({ ok: true });
      expect(allowedTransitions({ ...ctx, status, actors: ['knowledge_editor'] })).toEqual([]);
    }
  });
});

describe('masking personal data by role', () => {
  it('masks phones, emails and handles', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+8613812345678')).toBe('+86****5678');
    expect(maskPhone('01012345')).toBe('01****2345');
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('12')).toBe('**');
    expect(maskEmail('li.xiaohong@example.com')).toBe('l***@example.com');
    expect(maskEmail('王@例子.中国')).toBe('王***@例子.中国');
    expect(maskEmail('broken')).toBe('***');
    expect(maskHandle('wx_wang88')).toBe('w***8');
    expect(maskHandle('ab')).toBe('a***');
  });

  it('supervisors and admins see contacts in full; every other role masked', () => {
    const c = { name: '王', phone: '13812345678', email: 'wang@example.com', wechat: 'wx_wang' };
    expect(maskContact(c, ['supervisor'])).toEqual(c);
    expect(maskContact(c, ['admin'])).toEqual(c);
    for (const role of ['agent', 'specialist', 'qa_inspector'] as const) {
      expect(seesFullContact([role])).toBe(false);
      expect(maskContact(c, [role])).toEqual({
        name: '王',
        phone: '138****5678',
        email: 'w***@example.com',
        wechat: 'w***g',
      });
    }
    expect(maskContact({ ...c, phone: null, email: null, wechat: null }, ['agent'])).toMatchObject({
      phone: null,
      email: null,
    });
    expect(normalisePhone(' 138-1234 5678 ')).toBe('13812345678');
    expect(normalisePhone('(010) 1234.5678')).toBe('01012345678');
  });
});

describe('ticket numbers', () => {
  it('KF-<year>-<6 digits>, growing past a million', () => {
    expect(formatTicketNumber(2026, 123)).toBe('KF-2026-000123');
    expect(formatTicketNumber(2026, 1_234_567)).toBe('KF-2026-1234567');
    expect(() => formatTicketNumber(2026, 0)).toThrow(RangeError);
    expect(parseTicketNumber(' kf-2026-000123 ')).toEqual({ year: 2026, n: 123 });
    expect(parseTicketNumber('KF-26-1')).toBeNull();
  });

  it('the year follows the workspace time zone', () => {
    const lateNewYearsEve = new Date('2026-12-31T17:30:00Z');
    expect(yearIn(lateNewYearsEve, 'Asia/Shanghai')).toBe(2027);
    expect(yearIn(lateNewYearsEve, 'UTC')).toBe(2026);
  });
});
