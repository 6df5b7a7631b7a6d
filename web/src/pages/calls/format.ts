import type { TFunction } from 'i18next';
import type { CallState } from '../../api/calls';

export const STATE_COLORS: Record<CallState, string> = {
  ringing: 'processing',
  answered: 'green',
  completed: 'default',
  missed: 'error',
};

/** 12 s, 1 min 5 s. */
export function formatSeconds(ms: number | null | undefined, t: TFunction) {
  if (ms === null || ms === undefined) return '—';
  const s = Math.round(ms / 1000);
  return s < 60
    ? t('calls.seconds', { s })
    : t('calls.minutesSeconds', { m: Math.floor(s / 60), s: s % 60 });
}

export const formatRate = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${v.toFixed(1)}%`;
