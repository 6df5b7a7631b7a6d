import { describe, expect, it } from 'vitest';
import { weekdays } from '../../sla/rules/calendar.js';
import {
  addMonths,
  assessAgents,
  csatTopCutoff,
  gradeOf,
  isQuarterEnd,
  quarterMonths,
  quarterRating,
  teamRecognised,
} from './assessment.js';
import {
  addFacts,
  DEFAULT_TARGETS,
  emptyFacts,
  evaluateKpis,
  KPI_DEFINITIONS,
  kpiStatus,
  targetErrors,
  type KpiFacts,
} from './kpis.js';
import { firstWorkingDay, monthDueAt, monthRange } from './schedule.js';

const facts = (over: Partial<KpiFacts> = {}): KpiFacts => ({ ...emptyFacts(), ...over });

describe('KPI formulas (hand-computed)', () => {
  it('no tickets, no surveys: every KPI is n/a, neither met nor missed', () => {
    const r = evaluateKpis(emptyFacts(), DEFAULT_TARGETS, 'agent');
    for (const k of Object.values(r)) expect(k).toMatchObject({ value: null, status: 'na' });
    expect(gradeOf(r)).toBeNull();
  });

  it('response timeliness = in time / due; 19 of 20 = 95 % meets the target exactly', () => {
    const r = evaluateKpis(
      facts({ firstResponseDue: 20, firstResponseInTime: 19 }),
      DEFAULT_TARGETS,
      'agent',
    );
    expect(r.response_timeliness).toEqual({
      value: 95,
      numerator: 19,
      denominator: 20,
      status: 'met',
    });
    const low = evaluateKpis(
      facts({ firstResponseDue: 20, firstResponseInTime: 18 }),
      DEFAULT_TARGETS,
      'agent',
    );
    expect(low.response_timeliness).toMatchObject({ value: 90, status: 'below_target' });
    const worse = evaluateKpis(
      facts({ firstResponseDue: 3, firstResponseInTime: 2 }),
      DEFAULT_TARGETS,
      'agent',
    );
    expect(worse.response_timeliness).toMatchObject({ value: 66.67, status: 'below_floor' });
  });

  it('all clocks paused (nothing decided): timeliness has no value', () => {
    const r = evaluateKpis(facts({ received: 4 }), DEFAULT_TARGETS, 'agent');
    expect(r.response_timeliness.status).toBe('na');
  });

  it('resolution, FCR, complaint resolution, reopen and survey response rates', () => {
    const f = facts({
      concluded: 10,
      resolved: 9,
      l1Resolved: 8,
      l1FirstContact: 7,
      complaintsConcluded: 2,
      complaintsResolved: 1,
      reopenBase: 10,
      reopened: 1,
      surveysSent: 8,
      surveysAnswered: 6,
    });
    const r = evaluateKpis(f, DEFAULT_TARGETS, 'agent');
    expect(r.resolution_rate).toMatchObject({ value: 90, status: 'met' });
    expect(r.fcr_l1).toMatchObject({ value: 87.5, status: 'below_target' });
    expect(r.complaint_resolution).toMatchObject({ value: 50, status: 'below_target' });
    expect(r.reopen_rate).toMatchObject({ value: 10, status: 'info' });
    expect(r.survey_response_rate).toMatchObject({ value: 75, status: 'info' });
  });

  it('CSAT is the mean of 100-point scores; mean times in business ms', () => {
    const r = evaluateKpis(
      facts({
        csatSum: 90 + 100 + 85,
        csatCount: 3,
        firstResponseMsSum: 3000,
        firstResponseMsCount: 2,
        resolutionMsSum: 7_200_000,
        resolutionMsCount: 3,
      }),
      DEFAULT_TARGETS,
      'agent',
    );
    expect(r.csat).toMatchObject({ value: 91.67, status: 'met' });
    expect(r.mean_first_response).toMatchObject({ value: 1500, status: 'info' });
    expect(r.mean_resolution).toMatchObject({ value: 2_400_000 });
  });

  it('complaint rate is lower-is-better and assessed for teams only', () => {
    const f = facts({ received: 100, complaints: 2 });
    expect(evaluateKpis(f, DEFAULT_TARGETS, 'team').complaint_rate).toMatchObject({
      value: 2,
      status: 'met',
    });
    expect(
      evaluateKpis(facts({ received: 100, complaints: 3 }), DEFAULT_TARGETS, 'team').complaint_rate
        .status,
    ).toBe('below_target');
    expect(evaluateKpis(f, DEFAULT_TARGETS, 'agent').complaint_rate).toMatchObject({
      value: null,
      status: 'na',
      numerator: 2,
    });
  });

  it('floors: lower-is-better floors are maxima; a floor without a target still warns', () => {
    const def = KPI_DEFINITIONS.complaint_rate;
    expect(kpiStatus(def, 5, { target: 2, floor: 4 })).toBe('below_floor');
    expect(kpiStatus(def, 4, { target: 2, floor: 4 })).toBe('below_target');
    expect(kpiStatus(KPI_DEFINITIONS.csat, 70, { target: null, floor: 80 })).toBe('below_floor');
    expect(kpiStatus(KPI_DEFINITIONS.csat, 85, { target: null, floor: 80 })).toBe('met');
  });

  it('targets: a floor better than its target is refused', () => {
    expect(targetErrors(DEFAULT_TARGETS)).toEqual([]);
    expect(
      targetErrors({ ...DEFAULT_TARGETS, response_timeliness: { target: 95, floor: 96 } }),
    ).toEqual([
      { path: 'targets.response_timeliness.floor', message: 'must not be better than the target' },
    ]);
    expect(
      targetErrors({ ...DEFAULT_TARGETS, complaint_rate: { target: 2, floor: 1 } }),
    ).toHaveLength(1);
  });

  it('facts add up (a quarter of a team)', () => {
    expect(
      addFacts(facts({ resolved: 1, concluded: 2 }), facts({ resolved: 3, concluded: 3 })),
    ).toMatchObject({
      resolved: 4,
      concluded: 5,
      complaints: 0,
    });
  });
});

describe('assessment outcomes', () => {
  const good = facts({
    firstResponseDue: 20,
    firstResponseInTime: 20,
    concluded: 10,
    resolved: 10,
    csatSum: 95,
    csatCount: 1,
  });
  const agent = (
    f: KpiFacts,
    warnedLastMonth = false,
    earlier: ('A' | 'B' | 'C' | null)[] | null = null,
  ) => ({
    kpis: evaluateKpis(f, DEFAULT_TARGETS, 'agent'),
    warnedLastMonth,
    earlierQuarterGrades: earlier,
  });

  it('CSAT top 10 %: ⌈10 %⌉ of the agents with a CSAT, ties included', () => {
    expect(csatTopCutoff([])).toBeNull();
    expect(csatTopCutoff([null, 80])).toBe(80);
    expect(csatTopCutoff([99, 98, 97, 96, 95, 94, 93, 92, 91, 90, 89])).toBe(98); // 11 agents → 2
    expect(csatTopCutoff([95, 95, 90])).toBe(95);
  });

  it('Service Star: every KPI met and the top CSAT; a warning: below the floor', () => {
    const [star, nearly, warned, noCsat] = assessAgents([
      agent(good),
      agent({ ...good, csatSum: 91 }),
      agent({ ...good, firstResponseInTime: 17, csatSum: 99 }),
      agent({ ...good, csatSum: 0, csatCount: 0 }),
    ]);
    // 3 agents with a CSAT → the top 1: the warned agent has 99 but misses a KPI.
    expect(star!.outcome).toMatchObject({ serviceStar: false, grade: 'A' });
    expect(warned!.outcome).toMatchObject({
      serviceStar: false,
      warnings: ['response_timeliness'],
      grade: 'C',
      trainingRequired: false,
    });
    expect(nearly!.outcome.serviceStar).toBe(false);
    expect(noCsat!.outcome.serviceStar).toBe(false);
    const [a, b] = assessAgents([agent(good), agent({ ...good, csatSum: 91 })]);
    expect(a!.outcome.serviceStar).toBe(true);
    expect(b!.outcome.serviceStar).toBe(false);
  });

  it('two months in a row below a floor: training required; one month: a warning only', () => {
    const low = { ...good, firstResponseInTime: 10 };
    expect(assessAgents([agent(low, true)])[0]!.outcome.trainingRequired).toBe(true);
    expect(assessAgents([agent(low, false)])[0]!.outcome.trainingRequired).toBe(false);
    expect(assessAgents([agent(good, true)])[0]!.outcome.trainingRequired).toBe(false);
  });

  it('grades and the quarterly rating', () => {
    expect(gradeOf(evaluateKpis({ ...good, resolved: 8 }, DEFAULT_TARGETS, 'agent'))).toBe('B');
    expect(quarterRating(['A', 'A', 'B'])).toBe('A');
    expect(quarterRating(['A', 'B', 'C'])).toBe('B');
    expect(quarterRating(['C', 'C', 'B'])).toBe('C');
    expect(quarterRating([null, null, 'B'])).toBe('B');
    expect(quarterRating([null])).toBeNull();
    expect(assessAgents([agent(good, false, ['B', 'B'])])[0]!.outcome.quarterRating).toBe('B');
    expect(assessAgents([agent(good)])[0]!.outcome.quarterRating).toBeNull();
  });

  it('team recognition: a quarter with no complaint and everything resolved', () => {
    expect(teamRecognised({ complaints: 0, concluded: 5, resolved: 5 })).toBe(true);
    expect(teamRecognised({ complaints: 1, concluded: 5, resolved: 5 })).toBe(false);
    expect(teamRecognised({ complaints: 0, concluded: 5, resolved: 4 })).toBe(false);
    expect(teamRecognised({ complaints: 0, concluded: 0, resolved: 0 })).toBe(false);
  });

  it('months and quarters', () => {
    expect(quarterMonths('2026-05')).toEqual(['2026-04', '2026-05', '2026-06']);
    expect(isQuarterEnd('2026-03')).toBe(true);
    expect(isQuarterEnd('2026-04')).toBe(false);
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
  });
});

describe('the monthly schedule', () => {
  const cal = {
    ...weekdays('Asia/Shanghai', [{ start: '09:00', end: '18:00' }]),
    holidays: new Set(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']),
    workdays: new Set(['2026-02-28']),
  };

  it('first working day: weekends and holidays skipped', () => {
    expect(firstWorkingDay('2026-03', cal)).toBe('2026-03-02'); // 1 March 2026 is a Sunday
    expect(firstWorkingDay('2026-10', cal)).toBe('2026-10-08'); // National Day week
    expect(firstWorkingDay('2026-06', cal)).toBe('2026-06-01');
  });

  it('the month due: the previous one from the first working day (local time) on', () => {
    expect(monthDueAt(Date.parse('2026-10-07T12:00:00+08:00'), cal)).toBeNull();
    expect(monthDueAt(Date.parse('2026-10-31T12:00:00+08:00'), cal)).toBe('2026-09');
    expect(monthDueAt(Date.parse('2026-10-08T00:00:00+08:00'), cal)).toBe('2026-09');
    // 1 Oct 00:30 in Shanghai is still 30 Sep in UTC: the local date decides.
    expect(monthDueAt(Date.parse('2026-06-01T00:30:00+08:00'), cal)).toBe('2026-05');
    expect(monthDueAt(Date.parse('2026-05-31T23:30:00+08:00'), cal)).toBe('2026-04');
  });

  it('month range in the workspace time zone', () => {
    expect(monthRange('2026-12', 'Asia/Shanghai')).toEqual({
      from: new Date('2026-11-30T16:00:00Z'),
      to: new Date('2026-12-31T16:00:00Z'),
    });
  });
});

describe('phone connection rate at peak', () => {
  it('answered over offered at peak, target 85 % by default', () => {
    const r = (answered: number, offered: number) =>
      evaluateKpis(
        facts({ peakCallsAnswered: answered, peakCallsOffered: offered }),
        DEFAULT_TARGETS,
        'agent',
      ).phone_connection_rate;
    expect(r(17, 20)).toMatchObject({ value: 85, status: 'met' });
    expect(r(16, 20)).toMatchObject({ value: 80, status: 'below_target' });
    expect(r(0, 0)).toMatchObject({ value: null, status: 'na' });
  });
  it('facts stored before the phone facts existed add as zero', () => {
    const old = { ...emptyFacts() } as Partial<KpiFacts>;
    delete old.peakCallsOffered;
    expect(addFacts(old as KpiFacts, facts({ peakCallsOffered: 2 })).peakCallsOffered).toBe(2);
  });
});
