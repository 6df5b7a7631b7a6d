/**
 * Scorecard arithmetic (SPEC chapter 7), pure. A criterion has a weight and a scale (scores
 * 0…scale); the total is Σ weight × score/scale over Σ weight, on 100 points, one decimal. A
 * critical ("fail-all") criterion scored 0 makes the total 0 whatever the rest. A criterion is
 * failed when its score is below `failRatio` of its scale (or 0 for a critical one).
 */
import type { FieldError } from '../../../lib/problem.js';

export interface Criterion {
  key: string;
  label: string;
  labelEn?: string;
  weight: number;
  scale: number;
  critical: boolean;
}

export const DEFAULT_CRITERIA: readonly Criterion[] = [
  {
    key: 'attitude',
    label: '服务态度',
    labelEn: 'Attitude',
    weight: 25,
    scale: 5,
    critical: false,
  },
  {
    key: 'timeliness',
    label: '响应及时',
    labelEn: 'Timeliness',
    weight: 20,
    scale: 5,
    critical: false,
  },
  {
    key: 'resolution',
    label: '问题解决',
    labelEn: 'Resolution',
    weight: 25,
    scale: 5,
    critical: false,
  },
  {
    key: 'accuracy',
    label: '信息准确',
    labelEn: 'Accuracy of information',
    weight: 20,
    scale: 5,
    critical: false,
  },
  {
    key: 'script',
    label: '话术规范',
    labelEn: 'Script compliance',
    weight: 10,
    scale: 5,
    critical: false,
  },
  {
    key: 'no_violation',
    label: '无严重违规（泄露隐私、辱骂客户）',
    labelEn: 'No serious violation (privacy leak, abuse)',
    weight: 0,
    scale: 1,
    critical: true,
  },
];

export function criteriaErrors(criteria: readonly Criterion[]): FieldError[] {
  const errors: FieldError[] = [];
  const keys = new Set<string>();
  if (criteria.length === 0)
    errors.push({ path: 'criteria', message: 'needs at least one criterion' });
  criteria.forEach((c, i) => {
    if (keys.has(c.key)) errors.push({ path: `criteria.${i}.key`, message: 'is used twice' });
    keys.add(c.key);
    if (!c.critical && c.weight <= 0)
      errors.push({
        path: `criteria.${i}.weight`,
        message: 'must be above 0 (or mark it critical)',
      });
  });
  if (criteria.every((c) => c.weight <= 0))
    errors.push({ path: 'criteria', message: 'needs a criterion with a weight' });
  return errors;
}

export interface ScoreResult {
  total: number;
  criticalFailed: boolean;
  failed: string[];
}

/** Scores missing for some criterion or out of range: field errors (empty when complete). */
export function scoreErrors(
  criteria: readonly Criterion[],
  scores: Record<string, number>,
): FieldError[] {
  const errors: FieldError[] = [];
  for (const c of criteria) {
    const s = scores[c.key];
    if (s === undefined) errors.push({ path: `scores.${c.key}`, message: 'is required' });
    else if (!Number.isInteger(s) || s < 0 || s > c.scale)
      errors.push({
        path: `scores.${c.key}`,
        message: `must be a whole number from 0 to ${c.scale}`,
      });
  }
  for (const k of Object.keys(scores))
    if (!criteria.some((c) => c.key === k))
      errors.push({ path: `scores.${k}`, message: 'is not a criterion of this scorecard' });
  return errors;
}

export function scoreTotal(
  criteria: readonly Criterion[],
  scores: Record<string, number>,
  failRatio: number,
): ScoreResult {
  let weighted = 0;
  let weights = 0;
  let criticalFailed = false;
  const failed: string[] = [];
  for (const c of criteria) {
    const s = scores[c.key] ?? 0;
    const ratio = c.scale > 0 ? s / c.scale : 0;
    if (c.critical && s === 0) criticalFailed = true;
    if ((c.critical && s === 0) || (!c.critical && ratio < failRatio)) failed.push(c.key);
    weighted += c.weight * ratio;
    weights += c.weight;
  }
  const total = criticalFailed || weights === 0 ? 0 : Math.round((weighted / weights) * 1000) / 10;
  return { total, criticalFailed, failed };
}

/** Calibration spread of several inspectors' totals: max − min (null below two totals). */
export function spreadOf(totals: readonly number[]): number | null {
  if (totals.length < 2) return null;
  return Math.round((Math.max(...totals) - Math.min(...totals)) * 10) / 10;
}
