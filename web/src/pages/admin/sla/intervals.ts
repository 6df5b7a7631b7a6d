import type { SlaInterval } from '../../../api/sla';

/** The same rules as the server's schema, so most mistakes show before saving. */
export const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Monday first, as a Chinese week is shown; values are the API's indexes (Sunday = 0). */
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

export const OFFICE_DAY: SlaInterval[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '18:00' },
];
export const WHOLE_DAY: SlaInterval[] = [{ start: '00:00', end: '24:00' }];

export const officeWeek = (): SlaInterval[][] =>
  [0, 1, 2, 3, 4, 5, 6].map((d) => (d === 0 || d === 6 ? [] : OFFICE_DAY.map((i) => ({ ...i }))));
export const roundTheClockWeek = (): SlaInterval[][] =>
  [0, 1, 2, 3, 4, 5, 6].map(() => WHOLE_DAY.map((i) => ({ ...i })));

/** Why a day's list is refused (null = fine): out of order or overlapping intervals. */
export function dayProblem(list: (SlaInterval | undefined)[] | undefined): 'order' | null {
  const valid = (list ?? []).filter(
    (i): i is SlaInterval => !!i && TIME_PATTERN.test(i.start) && TIME_PATTERN.test(i.end),
  );
  return valid.every((i, n) => n === 0 || valid[n - 1]!.end <= i.start) ? null : 'order';
}
