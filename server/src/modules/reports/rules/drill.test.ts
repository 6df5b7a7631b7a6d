import { describe, expect, it } from 'vitest';
import { emptyFacts, evaluateKpis, DEFAULT_TARGETS, KPI_KEYS } from '../../kpi/rules/kpis.js';
import { cellTone, drillFactOf, factOf, monthsEnding, safeCell } from './drill.js';

describe('drill-down facts', () => {
  it('finds the numerator and denominator of every KPI from its definition', () => {
    expect(factOf('response_timeliness', 'numerator')).toBe('firstResponseInTime');
    expect(factOf('response_timeliness', 'denominator')).toBe('firstResponseDue');
    expect(factOf('complaint_rate', 'numerator')).toBe('complaints');
    expect(factOf('complaint_rate', 'denominator')).toBe('received');
    expect(factOf('csat', 'numerator')).toBe('csatSum');
    for (const k of KPI_KEYS) {
      expect(factOf(k, 'numerator')).toBeTruthy();
      expect(factOf(k, 'denominator')).toBeTruthy();
    }
  });

  it('drills sums to the tickets they are averaged over', () => {
    expect(drillFactOf('csat', 'numerator')).toBe('csatCount');
    expect(drillFactOf('mean_first_response', 'numerator')).toBe('firstResponseMsCount');
    expect(drillFactOf('mean_resolution', 'numerator')).toBe('resolutionMsCount');
    expect(drillFactOf('resolution_rate', 'numerator')).toBe('resolved');
  });

  it('agrees with the engine: the probed facts give the engine’s numerator and denominator', () => {
    const f = { ...emptyFacts(), firstResponseDue: 10, firstResponseInTime: 7, received: 5 };
    const r = evaluateKpis(f, DEFAULT_TARGETS, 'team');
    expect(f[factOf('response_timeliness', 'numerator')]).toBe(r.response_timeliness.numerator);
    expect(f[factOf('response_timeliness', 'denominator')]).toBe(r.response_timeliness.denominator);
  });
});

describe('cells and months', () => {
  it('colours met green and misses red', () => {
    expect(cellTone('met')).toBe('green');
    expect(cellTone('below_target')).toBe('red');
    expect(cellTone('below_floor')).toBe('red');
    expect(cellTone('na')).toBeNull();
    expect(cellTone('info')).toBeNull();
  });

  it('lists twelve months across a year end', () => {
    const m = monthsEnding('2026-03', 12);
    expect(m).toHaveLength(12);
    expect(m[0]).toBe('2025-04');
    expect(m[9]).toBe('2026-01');
    expect(m[11]).toBe('2026-03');
  });

  it('neutralises spreadsheet formulas', () => {
    expect(safeCell('=1+1')).toBe("'=1+1");
    expect(safeCell('正常')).toBe('正常');
    expect(safeCell(3)).toBe(3);
    expect(safeCell(null)).toBeNull();
  });
});
