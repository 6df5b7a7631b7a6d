import { Card, Empty, Flex, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useTicketSla, type SlaClock } from '../../../api/sla';
import { useFormatDateTime } from '../../../lib/format';

const STATE_COLOURS: Record<SlaClock['state'], string> = {
  running: 'processing',
  paused: 'default',
  met: 'success',
  breached: 'error',
  cancelled: 'default',
};

/** Risk of a running clock: past its warning point it turns orange, past due red. */
function riskColour(clock: SlaClock, now: number): string | undefined {
  if (clock.state === 'breached' || clock.breached) return '#cf1322';
  if (clock.state !== 'running') return undefined;
  return now >= new Date(clock.warnAt).getTime() ? '#d46b08' : undefined;
}

/** The ticket's time limits (SPEC ch. 3): each target, its due time, and how it went. */
export function SlaCard({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const sla = useTicketSla(ticketId);
  const formatDateTime = useFormatDateTime();
  const clocks = (sla.data ?? []).filter((c) => c.state !== 'cancelled');
  // eslint-disable-next-line react-hooks/purity -- a render-time "now" for colouring is intended
  const now = Date.now();
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
              {c.state === 'running' ? (
                <Statistic.Timer
                  type="countdown"
                  value={new Date(c.dueAt).getTime()}
                  format="D[d] HH:mm:ss"
                  styles={{ content: { fontSize: 14, color: riskColour(c, now) } }}
                />
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
