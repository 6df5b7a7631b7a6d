import { Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PortalEvent, PortalFileRef } from '../../api/portal';
import { useFormatDateTime } from '../../lib/format';
import { useTicketLabels } from '../../lib/ticketLabels';
import { PortalFileList } from './PortalFiles';

/** The files an entry names: an upload's one file, or those sent with a reply. */
function filesOf(e: PortalEvent): PortalFileRef[] {
  if (e.kind === 'attachment' && e.data.attachment) return [e.data.attachment as PortalFileRef];
  if (e.kind === 'reply' && Array.isArray(e.data.attachments))
    return e.data.attachments as PortalFileRef[];
  return [];
}

/**
 * The public history of a request as the customer sees it. `downloadable`: file names are
 * download links (signed in); a guest look-up shows the names only.
 */
export function PortalTimeline({
  entries,
  downloadable = true,
}: {
  entries: PortalEvent[];
  downloadable?: boolean;
}) {
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
      case 'attachment':
        return t('portal.request.event.attachment');
      case 'handling_plan':
        return t('portal.request.event.handlingPlan', {
          due: typeof d.dueAt === 'string' ? formatDate(d.dueAt) : '',
        });
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

  // A file sent with a reply shows with the reply, not a second time as its upload.
  const sentWithReplies = new Set(
    entries.filter((e) => e.kind === 'reply').flatMap((e) => filesOf(e).map((f) => f.id)),
  );
  const shown = entries.filter(
    (e) => e.kind !== 'attachment' || !filesOf(e).every((f) => sentWithReplies.has(f.id)),
  );

  return (
    <Timeline
      data-testid="portal-timeline"
      items={shown.map((e) => ({
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
            <PortalFileList files={filesOf(e)} downloadable={downloadable} />
          </div>
        ),
      }))}
    />
  );
}
