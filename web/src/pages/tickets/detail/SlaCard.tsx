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

const STATE_COLOURS: Record<SlaClock['state'], string> = {
  running: 'processing',
  paused: 'default',
  met: 'success',
  breached: 'error',
  cancelled: 'default',
};

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
  const clocks = ((sla.data ?? []) as LiveClock[]).filter((c) => c.state !== 'cancelled');
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

  const duration = (ms: number) => {
    const total = Math.floor(Math.abs(ms) / 1000);
    const days = Math.floor(total / 86_400);
    const pad = (n: number) => String(n).padStart(2, '0');
    const hms = `${pad(Math.floor((total % 86_400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
    return days ? `${t('sla.duration.d', { count: days })} ${hms}` : hms;
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
      {clocks.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sla.none')} />
      ) : (
        <Flex vertical gap={12}>
          {clocks.map((c) => (
            <Flex key={c.id} justify="space-between" align="center" data-testid={`sla-${c.kind}`}>
              <Flex vertical>
                <Typography.Text strong>
                  {t(`sla.kinds.${c.kind}`, { defaultValue: c.kind })}
                  {c.repeats && c.occurrence > 1 ? ` #${c.occurrence}` : ''}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {t('sla.due', { time: formatDateTime(c.dueAt) })}
                </Typography.Text>
              </Flex>
              {c.live ? (
                countdown(c, c.live)
              ) : (
                <Tag color={STATE_COLOURS[c.breached ? 'breached' : c.state]}>
                  {t(`sla.states.${c.breached && c.state === 'met' ? 'metLate' : c.state}`)}
                </Tag>
              )}
            </Flex>
          ))}
        </Flex>
      )}
    </Card>
  );
}
