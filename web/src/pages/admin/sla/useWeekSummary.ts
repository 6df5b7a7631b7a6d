import { useTranslation } from 'react-i18next';
import type { SlaInterval } from '../../../api/sla';
import { WEEK_ORDER } from './intervals';

/** "周一至周五 09:00–12:00, 13:30–18:00" style summary: runs of days with the same hours. */
export function useWeekSummary() {
  const { t } = useTranslation();
  return (weekly: SlaInterval[][]): string => {
    const hours = (d: number) => (weekly[d] ?? []).map((i) => `${i.start}–${i.end}`).join(', ');
    const parts: string[] = [];
    let n = 0;
    while (n < WEEK_ORDER.length) {
      const first = WEEK_ORDER[n]!;
      let last = n;
      while (last + 1 < WEEK_ORDER.length && hours(WEEK_ORDER[last + 1]!) === hours(first)) last++;
      if (hours(first)) {
        const days =
          last === n
            ? t(`slaAdmin.weekdays.${first}`)
            : t('slaAdmin.week.range', {
                from: t(`slaAdmin.weekdays.${first}`),
                to: t(`slaAdmin.weekdays.${WEEK_ORDER[last]!}`),
              });
        parts.push(`${days} ${hours(first)}`);
      }
      n = last + 1;
    }
    return parts.join('; ');
  };
}
