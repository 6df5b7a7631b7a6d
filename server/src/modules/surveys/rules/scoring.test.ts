import { describe, expect, it } from 'vitest';
import {
  checkAnswers,
  checkQuestions,
  monthBounds,
  needsFollowUp,
  periodMonthOf,
  scoreOf,
  type Question,
} from './scoring.js';

const DEFAULT: Question[] = [
  { key: 'solved', type: 'solved', zh: '解决了吗', en: 'Solved?' },
  { key: 'attitude', type: 'rating5', zh: '态度', en: 'Attitude' },
  { key: 'overall', type: 'rating5', zh: '总体', en: 'Overall', overall: true },
];

describe('survey rules', () => {
  it('templates ask 1–3 questions, one solved, one overall, distinct keys', () => {
    expect(checkQuestions(DEFAULT)).toEqual([]);
    expect(checkQuestions([])).toHaveLength(1);
    expect(checkQuestions([...DEFAULT, DEFAULT[1]!])).not.toEqual([]);
    expect(
      checkQuestions([
        { key: 'a', type: 'solved', zh: 'a', en: 'a' },
        { key: 'b', type: 'solved', zh: 'b', en: 'b' },
      ]),
    ).toContainEqual({ path: 'questions', message: 'at most one "solved" question' });
    expect(checkQuestions([{ key: 'a', type: 'solved', zh: 'a', en: 'a', overall: true }])).toEqual(
      [{ path: 'questions.0.overall', message: 'the overall score must be a rating' }],
    );
  });

  it('answers must fit the pinned questions', () => {
    expect(checkAnswers(DEFAULT, { solved: true, attitude: 5, overall: 4 })).toEqual([]);
    expect(
      checkAnswers(DEFAULT, { solved: 'yes' as never, attitude: 6, overall: 4.5, x: 1 }),
    ).toEqual([
      { path: 'answers.x', message: 'not a question of this survey' },
      { path: 'answers.solved', message: 'must be true or false' },
      { path: 'answers.attitude', message: 'must be 1 to 5' },
      { path: 'answers.overall', message: 'must be a whole number' },
    ]);
    expect(checkAnswers(DEFAULT, { solved: true })).toHaveLength(2);
    const hundred: Question[] = [{ key: 's', type: 'score100', zh: '分', en: 'Score' }];
    expect(checkAnswers(hundred, { s: 101 })).toEqual([
      { path: 'answers.s', message: 'must be 0 to 100' },
    ]);
  });

  it('maps onto 100 points: the overall question, else the average of ratings', () => {
    expect(scoreOf(DEFAULT, { solved: true, attitude: 5, overall: 4 })).toEqual({
      solved: true,
      score100: 80,
    });
    const noOverall: Question[] = [
      { key: 'a', type: 'rating5', zh: 'a', en: 'a' },
      { key: 'b', type: 'score100', zh: 'b', en: 'b' },
    ];
    expect(scoreOf(noOverall, { a: 3, b: 75 })).toEqual({ solved: null, score100: 67.5 });
    expect(scoreOf([DEFAULT[0]!], { solved: false })).toEqual({ solved: false, score100: null });
  });

  it('a follow-up opens below the threshold or when not solved', () => {
    expect(needsFollowUp({ solved: true, score100: 59 }, 60)).toBe(true);
    expect(needsFollowUp({ solved: true, score100: 60 }, 60)).toBe(false);
    expect(needsFollowUp({ solved: false, score100: 100 }, 60)).toBe(true);
    expect(needsFollowUp({ solved: null, score100: null }, 60)).toBe(false);
  });

  it('periods are months in Asia/Shanghai', () => {
    expect(periodMonthOf(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12-01');
    expect(periodMonthOf(new Date('2026-11-30T15:59:00Z'))).toBe('2026-11-01');
    expect(monthBounds('2026-12-01')).toEqual({
      from: new Date('2026-11-30T16:00:00Z'),
      to: new Date('2026-12-31T16:00:00Z'),
    });
  });
});
