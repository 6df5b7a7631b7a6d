import { useTranslation } from 'react-i18next';

/** 7_200_000 → "2 小时"; 5_400_000 → "1 小时 30 分钟"; largest units first, at most two. */
export function useFormatDuration(): (ms: number) => string {
  const { t } = useTranslation();
  return (ms) => {
    const abs = Math.abs(ms);
    const parts: string[] = [];
    const units: [string, number][] = [
      ['d', 86_400_000],
      ['h', 3_600_000],
      ['m', 60_000],
      ['s', 1000],
    ];
    let rest = abs;
    for (const [unit, size] of units) {
      const n = Math.floor(rest / size);
      if (n > 0 && parts.length < 2) {
        parts.push(t(`slaAdmin.duration.${unit}`, { count: n }));
        rest -= n * size;
      }
    }
    return parts.length ? parts.join(' ') : t('slaAdmin.duration.s', { count: 0 });
  };
}

/** "2026-10-09T09:00:00.000+08:00" → "2026-10-09 09:00 (+08:00)": the calendar's own wall time. */
export function localWallTime(isoWithOffset: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(
    isoWithOffset,
  );
  if (!m) return isoWithOffset;
  return `${m[1]} ${m[2]} (${m[3] === 'Z' ? '+00:00' : m[3]})`;
}

/** The weekday (0 = Sunday) of a `YYYY-MM-DD…` local date. */
export const weekdayOf = (isoDate: string) =>
  new Date(`${isoDate.slice(0, 10)}T12:00:00Z`).getUTCDay();

/** The UTC offset (ms) of `timeZone` at instant `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** A wall time ("2026-09-30T17:50") in `timeZone` → the instant, as ISO 8601 UTC. */
export function zonedToIso(wall: string, timeZone: string): string {
  const guess = Date.parse(`${wall}:00Z`);
  let ms = guess - offsetAt(guess, timeZone);
  // Around a DST change the first guess's offset can be the other one: check once more.
  ms = guess - offsetAt(ms, timeZone);
  return new Date(ms).toISOString();
}
