import { useEffect, useState } from 'react';
import { Card, Empty, Flex, Tag, Tooltip, Typography } from 'antd';
import { PauseCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useTicketSla, type SlaClock } from '../../../api/sla';
import { useFormatDateTime } from '../../../lib/format';

/** The business-time countdown the server adds to open clocks (GET /tickets/:id/sla). */
interface LiveState {
  remainingMs: number;
  ticking: boolean;
  pausedReason: 'outside_working_hours' | 'waiting_on_customer' | null;
  nextChangeAt: string | null;
}
type LiveClock = SlaClock & { live?: LiveState };

/**
 * The rows of the card: one per target. A repeating target (progress every 24 h) is one row —
 * its open occurrence, else its last — with how many went by on time and late; a target that
 * ran again (rework after a reopening) keeps a row per run. A clock cancelled and replaced by
 * another of its kind (re-classification) is not shown; everything else stays after closing.
 */
export function cardRows(clocks: LiveClock[]) {
  const rows: { clock: LiveClock; metOnTime: number; metLate: number }[] = [];
  const open = (c: LiveClock) =>
    c.state === 'running' || c.state === 'paused' || c.state === 'breached';
  for (const [i, c] of clocks.entries()) {
    const later = clocks.slice(i + 1).filter((x) => x.kind === c.kind);
    if (c.repeats) {
      if (later.length > 0) continue; // shown as the last of its kind
      const all = clocks.filter((x) => x.kind === c.kind && x.repeats);
      const met = all.filter((x) => x.state === 'met');
      const shown = all.find(open) ?? c;
      rows.push({
        clock: shown,
        metOnTime: met.filter((x) => !x.breached).length,
        metLate: met.filter((x) => x.breached).length,
      });
      continue;
    }
    if (c.state === 'cancelled' && c.outcome !== 'missed' && later.length > 0) continue;
    rows.push({ clock: c, metOnTime: 0, metLate: 0 });
  }
  return rows;
}

/** How a clock that no longer counts down ended (or stands). */
type OutcomeKey = 'running' | 'paused' | 'met' | 'metLate' | 'missed' | 'breached' | 'cancelled';
const OUTCOME_COLOURS: Record<OutcomeKey, string> = {
  running: 'processing',
  paused: 'default',
  met: 'success',
  metLate: 'warning',
  missed: 'error',
  breached: 'error',
  cancelled: 'default',
};
function outcomeKey(c: SlaClock): OutcomeKey {
  if (c.state === 'met') return c.breached ? 'metLate' : 'met';
  if (c.state === 'cancelled') return c.outcome === 'missed' || c.breached ? 'missed' : 'cancelled';
  return c.breached ? 'breached' : c.state;
}

/** Re-renders every `ms` while mounted: the countdown's tick. */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/** Risk of an open clock: past its warning point it turns orange, overdue red. */
function riskColour(clock: LiveClock, remainingMs: number, now: number): string | undefined {
  if (clock.state === 'breached' || clock.breached || remainingMs < 0) return '#cf1322';
  if (clock.state !== 'running') return undefined;
  return now >= new Date(clock.warnAt).getTime() ? '#d46b08' : undefined;
}

/**
 * The ticket's time limits (SPEC ch. 3): each target, its due time, and how it went. Open clocks
 * count down their *business* time left — only while it is working time and the ticket is not
 * waiting on the customer — and the card asks the server again when that next changes.
 */
export function SlaCard({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const sla = useTicketSla(ticketId);
  const formatDateTime = useFormatDateTime();
  const now = useNow(1000);
  const clocks = (sla.data ?? []) as LiveClock[];
  const rows = cardRows(clocks);
  // Counted from when this answer arrived, in this browser's clock (no server clock skew).
  const fetchedAt = sla.dataUpdatedAt;
  const { refetch } = sla;

  // Ask again when a clock starts or stops ticking, or runs out.
  const nextChange = Math.min(
    ...clocks.flatMap((c) => {
      if (!c.live) return [];
      const at: number[] = [];
      if (c.live.nextChangeAt) at.push(new Date(c.live.nextChangeAt).getTime());
      if (c.live.ticking && c.live.remainingMs > 0) at.push(fetchedAt + c.live.remainingMs);
      return at;
    }),
  );
  useEffect(() => {
    if (!Number.isFinite(nextChange)) return;
    const id = setTimeout(() => void refetch(), Math.max(1000, nextChange - Date.now() + 1000));
    return () => clearTimeout(id);
  }, [nextChange, refetch]);

  // Working time is counted in hours, never folded into days: 24 working hours are three
  // working days, not "1 day".
  const duration = (ms: number) => {
    const total = Math.floor(Math.abs(ms) / 1000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  };

  // A limit as set: "24 工作小时" / "24 working hours", "30 秒", "1 小时" (round the clock).
  const formatLimit = (ms: number) => {
    if (ms >= 3_600_000) {
      return t('sla.units.hours', { count: Math.round((ms / 3_600_000) * 10) / 10 });
    }
    if (ms >= 60_000) return t('sla.units.minutes', { count: Math.round(ms / 60_000) });
    return t('sla.units.seconds', { count: Math.round(ms / 1000) });
  };

  const countdown = (c: LiveClock, live: LiveState) => {
    const remaining = live.remainingMs - (live.ticking ? now - fetchedAt : 0);
    const colour = riskColour(c, remaining, now);
    const text =
      remaining >= 0
        ? t('sla.left', { time: duration(remaining) })
        : t('sla.overdue', { time: duration(remaining) });
    return (
      <Flex vertical align="flex-end" data-testid="sla-countdown">
        <Tooltip title={t('sla.businessTime')}>
          <Typography.Text
            strong
            style={{ color: colour, fontVariantNumeric: 'tabular-nums' }}
            type={live.ticking ? undefined : 'secondary'}
          >
            {text}
          </Typography.Text>
        </Tooltip>
        {!live.ticking && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="sla-paused">
            <PauseCircleOutlined />{' '}
            {t(
              live.pausedReason === 'waiting_on_customer'
                ? 'sla.pausedCustomer'
                : 'sla.pausedOutside',
            )}
            {live.nextChangeAt
              ? ` · ${t('sla.resumesAt', { time: formatDateTime(live.nextChangeAt) })}`
              : ''}
          </Typography.Text>
        )}
      </Flex>
    );
  };

  return (
    <Card title={t('sla.title')} size="small" loading={sla.isPending} data-testid="sla-card">
      {rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sla.none')} />
      ) : (
        <Flex vertical gap={12}>
          {rows.map(({ clock: c, metOnTime, metLate }) => (
            <Flex
              key={c.id}
              justify="space-between"
              align="center"
              data-testid={`sla-${c.kind}`}
              data-outcome={c.outcome ?? c.state}
            >
              <Flex vertical>
                <Typography.Text strong>
                  {t(`sla.kinds.${c.kind}`, { defaultValue: c.kind })}
                  {c.cause === 'rework' && (
                    <Tag style={{ marginInlineStart: 6 }} data-testid="sla-rework">
                      {t('sla.rework')}
                    </Tag>
                  )}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {t(c.calendarId ? 'sla.limitWorking' : 'sla.limit', {
                    time: formatLimit(c.limitMs),
                  })}
                  {' · '}
                  {t('sla.due', { time: formatDateTime(c.dueAt) })}
                </Typography.Text>
                {c.repeats && metOnTime + metLate > 0 && (
                  <Typography.Text
                    type="secondary"
                    style={{ fontSize: 12 }}
                    data-testid="sla-repeats"
                  >
                    {t('sla.repeatsSoFar', { onTime: metOnTime, late: metLate })}
                  </Typography.Text>
                )}
              </Flex>
              {c.live ? (
                countdown(c, c.live)
              ) : (
                <Tag color={OUTCOME_COLOURS[outcomeKey(c)]} data-testid="sla-outcome">
                  {t(`sla.states.${outcomeKey(c)}`)}
                </Tag>
              )}
            </Flex>
          ))}
        </Flex>
      )}
    </Card>
  );
}
