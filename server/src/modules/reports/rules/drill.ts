/**
 * Which facts stand behind a KPI's numerator and denominator, derived from the KPI engine's own
 * definitions (kpi/rules/kpis.ts) — never restated here. A sum (milliseconds, CSAT points) is
 * drilled to the tickets it sums over, i.e. its count.
 */
import {
  emptyFacts,
  KPI_DEFINITIONS,
  type KpiFacts,
  type KpiKey,
  type KpiStatus,
} from '../../kpi/rules/kpis.js';

export type DrillPart = 'numerator' | 'denominator';

/** Sums have no tickets of their own: they are drilled to the count they are averaged over. */
const SUM_TO_COUNT: Partial<Record<keyof KpiFacts, keyof KpiFacts>> = {
  firstResponseMsSum: 'firstResponseMsCount',
  resolutionMsSum: 'resolutionMsCount',
  csatSum: 'csatCount',
};

/** The fact a KPI's numerator or denominator is, found by probing its `measure`. */
export function factOf(kpi: KpiKey, part: DrillPart): keyof KpiFacts {
  const def = KPI_DEFINITIONS[kpi];
  for (const k of Object.keys(emptyFacts()) as (keyof KpiFacts)[]) {
    const probe = emptyFacts();
    probe[k] = 1;
    const [n, d] = def.measure(probe);
    if ((part === 'numerator' ? n : d) === 1) return k;
  }
  throw new Error(`no ${part} fact for ${kpi}`);
}

/** The fact whose tickets a drill-down lists (a sum → its count). */
export function drillFactOf(kpi: KpiKey, part: DrillPart): keyof KpiFacts {
  const k = factOf(kpi, part);
  return SUM_TO_COUNT[k] ?? k;
}

/** A cell's colour: green when met, red when below the target or the floor, none otherwise. */
export function cellTone(status: KpiStatus): 'green' | 'red' | null {
  if (status === 'met') return 'green';
  if (status === 'below_floor') return 'red';
  if (status === 'below_target') return 'red';
  return null;
}

/** `count` months ending with `last` (YYYY-MM), oldest first. */
export function monthsEnding(last: string, count: number): string[] {
  const [y, m] = last.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const idx = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** CSV/Excel cell text that a spreadsheet will not run as a formula (CSV injection). */
export function safeCell(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const s = String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
