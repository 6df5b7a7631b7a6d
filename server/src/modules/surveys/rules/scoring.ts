/**
 * Pure survey rules (no I/O): what a template may ask, whether an answer fits the template
 * version it pins, and how an answer maps onto the KPI contract (solved, score100).
 */
import type { FieldError } from '../../../lib/problem.js';

export type QuestionType = 'solved' | 'rating5' | 'score100';
export const QUESTION_TYPES: readonly QuestionType[] = ['solved', 'rating5', 'score100'];

export interface Question {
  key: string;
  type: QuestionType;
  zh: string;
  en: string;
  /** The question whose answer is the overall score (score100); else ratings are averaged. */
  overall?: boolean;
}

export type AnswerValue = boolean | number;
export type Answers = Record<string, AnswerValue>;

/** Rule violations of a template's questions (empty = fine). */
export function checkQuestions(questions: Question[]): FieldError[] {
  const errors: FieldError[] = [];
  if (questions.length < 1 || questions.length > 3)
    errors.push({ path: 'questions', message: 'a survey asks 1 to 3 questions' });
  const keys = new Set<string>();
  questions.forEach((q, i) => {
    if (keys.has(q.key)) errors.push({ path: `questions.${i}.key`, message: 'keys must differ' });
    keys.add(q.key);
    if (q.overall && q.type === 'solved')
      errors.push({
        path: `questions.${i}.overall`,
        message: 'the overall score must be a rating',
      });
  });
  if (questions.filter((q) => q.type === 'solved').length > 1)
    errors.push({ path: 'questions', message: 'at most one "solved" question' });
  if (questions.filter((q) => q.overall).length > 1)
    errors.push({ path: 'questions', message: 'at most one overall question' });
  return errors;
}

/** A 1–5 rating or a 0–100 score on the 100-point scale (百分制): 5 stars = 100, 1 star = 20. */
export function toHundred(q: Pick<Question, 'type'>, value: number): number {
  return q.type === 'rating5' ? value * 20 : value;
}

/** Checks an answer against the questions it pins; every question must be answered. */
export function checkAnswers(questions: Question[], answers: Answers): FieldError[] {
  const errors: FieldError[] = [];
  const known = new Set(questions.map((q) => q.key));
  for (const key of Object.keys(answers))
    if (!known.has(key))
      errors.push({ path: `answers.${key}`, message: 'not a question of this survey' });
  for (const q of questions) {
    const v = answers[q.key];
    const path = `answers.${q.key}`;
    if (v === undefined) errors.push({ path, message: 'required' });
    else if (q.type === 'solved') {
      if (typeof v !== 'boolean') errors.push({ path, message: 'must be true or false' });
    } else if (typeof v !== 'number' || !Number.isInteger(v))
      errors.push({ path, message: 'must be a whole number' });
    else if (q.type === 'rating5' && (v < 1 || v > 5))
      errors.push({ path, message: 'must be 1 to 5' });
    else if (q.type === 'score100' && (v < 0 || v > 100))
      errors.push({ path, message: 'must be 0 to 100' });
  }
  return errors;
}

/** What a (valid) answer means for the KPI contract. */
export function scoreOf(
  questions: Question[],
  answers: Answers,
): { solved: boolean | null; score100: number | null } {
  const solvedQ = questions.find((q) => q.type === 'solved');
  const solved = solvedQ ? (answers[solvedQ.key] as boolean) : null;
  const ratings = questions.filter((q) => q.type !== 'solved');
  const overall = ratings.find((q) => q.overall);
  let score100: number | null = null;
  if (overall) score100 = toHundred(overall, answers[overall.key] as number);
  else if (ratings.length > 0)
    score100 =
      Math.round(
        (ratings.reduce((sum, q) => sum + toHundred(q, answers[q.key] as number), 0) /
          ratings.length) *
          100,
      ) / 100;
  return { solved, score100 };
}

/** A low score (below the threshold) or "not solved" opens a follow-up (闭环). */
export function needsFollowUp(
  result: { solved: boolean | null; score100: number | null },
  threshold: number,
): boolean {
  return result.solved === false || (result.score100 !== null && result.score100 < threshold);
}

/** First day of the month of `at` in `timeZone`, as YYYY-MM-DD (period_month of the contract). */
export function periodMonthOf(at: Date, timeZone = 'Asia/Shanghai'): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(at);
  const y = parts.find((p) => p.type === 'year')!.value;
  const m = parts.find((p) => p.type === 'month')!.value;
  return `${y}-${m}-01`;
}

/** The UTC instants a month (YYYY-MM-01) starts and ends at in Asia/Shanghai (UTC+8, no DST). */
export function monthBounds(periodMonth: string): { from: Date; to: Date } {
  const [y, m] = periodMonth.split('-').map(Number) as [number, number];
  const from = new Date(Date.UTC(y, m - 1, 1, -8));
  const to = new Date(Date.UTC(m === 12 ? y + 1 : y, m === 12 ? 0 : m, 1, -8));
  return { from, to };
}
