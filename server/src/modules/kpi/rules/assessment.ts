/**
 * The monthly assessment's outcomes (SPEC chapter 8), pure: Service Star, written warnings,
 * training after two months in a row, the monthly grade, the quarterly rating and team
 * recognition. Inputs are the KPI results of rules/kpis.ts; docs/kpi.md states every rule.
 */
import { KPI_KEYS, type KpiKey, type KpiResult } from './kpis.js';

export type Grade = 'A' | 'B' | 'C';

export interface AgentOutcome {
  serviceStar: boolean;
  /** KPIs worse than their floor: each one is a written warning. */
  warnings: KpiKey[];
  /** A warning this month and one the month before. */
  trainingRequired: boolean;
  /** A: every targeted KPI met; B: some below target, none below floor; C: one below floor. */
  grade: Grade | null;
  /** Only at a quarter's last month: from the quarter's monthly grades. */
  quarterRating: Grade | null;
}

export function warningsOf(kpis: Record<KpiKey, KpiResult>): KpiKey[] {
  return KPI_KEYS.filter((k) => kpis[k].status === 'below_floor');
}

/** A, B, C, or null when no KPI with a target or floor had a value. */
export function gradeOf(kpis: Record<KpiKey, KpiResult>): Grade | null {
  const assessed = KPI_KEYS.map((k) => kpis[k].status).filter(
    (s) => s === 'met' || s === 'below_target' || s === 'below_floor',
  );
  if (assessed.length === 0) return null;
  if (assessed.includes('below_floor')) return 'C';
  return assessed.every((s) => s === 'met') ? 'A' : 'B';
}

/**
 * The CSAT a Service Star needs: the value of the ⌈10 %⌉-th best agent (at least one agent);
 * agents tied with it are in the top 10 % too. Null when nobody has a CSAT.
 */
export function csatTopCutoff(values: (number | null)[]): number | null {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => b - a);
  if (sorted.length === 0) return null;
  const n = Math.max(1, Math.ceil(sorted.length * 0.1));
  return sorted[n - 1]!;
}

/**
 * Service Star: a grade of A (every KPI with a target met, none below a floor), a CSAT value,
 * and a CSAT in the top 10 % of agents.
 */
export function isServiceStar(kpis: Record<KpiKey, KpiResult>, cutoff: number | null): boolean {
  const csat = kpis.csat.value;
  if (csat === null || cutoff === null) return false;
  return gradeOf(kpis) === 'A' && csat >= cutoff;
}

const POINTS: Record<Grade, number> = { A: 3, B: 2, C: 1 };

/**
 * Quarterly rating from the monthly grades of the quarter (months without a grade are left
 * out): the mean of A=3, B=2, C=1, rounded half up — ≥ 2.5 is A, ≥ 1.5 is B, else C.
 */
export function quarterRating(grades: (Grade | null)[]): Grade | null {
  const known = grades.filter((g): g is Grade => g !== null);
  if (known.length === 0) return null;
  const mean = known.reduce((s, g) => s + POINTS[g], 0) / known.length;
  return mean >= 2.5 ? 'A' : mean >= 1.5 ? 'B' : 'C';
}

export interface AgentAssessmentInput {
  kpis: Record<KpiKey, KpiResult>;
  /** Whether the agent had a written warning the month before. */
  warnedLastMonth: boolean;
  /** At a quarter's last month: the grades of the two earlier months of the quarter. */
  earlierQuarterGrades: (Grade | null)[] | null;
}

export function assessAgents<T extends AgentAssessmentInput>(
  agents: T[],
): (T & { outcome: AgentOutcome })[] {
  const cutoff = csatTopCutoff(agents.map((a) => a.kpis.csat.value));
  return agents.map((a) => {
    const warnings = warningsOf(a.kpis);
    const grade = gradeOf(a.kpis);
    return {
      ...a,
      outcome: {
        serviceStar: isServiceStar(a.kpis, cutoff),
        warnings,
        trainingRequired: warnings.length > 0 && a.warnedLastMonth,
        grade,
        quarterRating: a.earlierQuarterGrades
          ? quarterRating([...a.earlierQuarterGrades, grade])
          : null,
      },
    };
  });
}

/** A team with no complaint and 100 % resolution over a quarter (at least one ticket concluded). */
export function teamRecognised(quarter: {
  complaints: number;
  concluded: number;
  resolved: number;
}): boolean {
  return (
    quarter.complaints === 0 && quarter.concluded > 0 && quarter.resolved === quarter.concluded
  );
}

// ----------------------------------------------------------------------- months

/** 'YYYY-MM' → the months of its quarter, in order. */
export function quarterMonths(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = Math.floor((m - 1) / 3) * 3 + 1;
  return [first, first + 1, first + 2].map((mm) => `${y}-${String(mm).padStart(2, '0')}`);
}

export const isQuarterEnd = (month: string) => Number(month.slice(5, 7)) % 3 === 0;

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const idx = y * 12 + (m - 1) + n;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}
