import { Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PortalEvent } from '../../api/portal';
import { useFormatDateTime } from '../../lib/format';
import { useTicketLabels } from '../../lib/ticketLabels';

/** The public history of a request as the customer sees it. */
export function PortalTimeline({ entries }: { entries: PortalEvent[] }) {
  const { t } = useTranslation();
  const labels = useTicketLabels({ staff: false });
  const formatDate = useFormatDateTime();

  const author = (e: PortalEvent) =>
    e.author === 'staff'
      ? (e.authorName ?? t('portal.staff'))
      : e.author === 'you'
        ? t('portal.you')
        : t('portal.request.system');

  const what = (e: PortalEvent): string => {
    const d = e.data;
    switch (e.kind) {
      case 'created':
        return t('portal.request.event.created');
      case 'reply':
        return t('portal.request.event.reply');
      case 'status':
        return t('portal.request.event.status', { status: labels.status(String(d.to)) });
      case 'confirmation':
        if (d.decision === 'confirm') return t('portal.request.event.confirmed');
        if (d.decision === 'reject') return t('portal.request.event.rejected');
        return d.notifiedBy === 'email'
          ? t('portal.request.event.askedByEmail')
          : t('portal.request.event.asked');
      default:
        return e.kind;
    }
  };

  return (
    <Timeline
      data-testid="portal-timeline"
      items={entries.map((e) => ({
        key: e.id,
        color: e.author === 'you' ? 'green' : e.author === 'staff' ? 'blue' : 'gray',
        content: (
          <div data-testid={`portal-event-${e.kind}`}>
            <Typography.Text strong>{author(e)}</Typography.Text>{' '}
            <Typography.Text type="secondary">
              {what(e)} · {formatDate(e.at)}
            </Typography.Text>
            {e.body && (
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                {e.body}
              </Typography.Paragraph>
            )}
          </div>
        ),
      }))}
    />
  );
}
