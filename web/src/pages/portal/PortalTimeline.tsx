import { useTranslation } from 'react-i18next';
import { portalFileUrl, type PortalEvent, type PortalFileRef } from '../../api/portal';
import { useFormatDateTime } from '../../lib/format';
import { useTicketLabels } from '../../lib/ticketLabels';
import { Icon } from '../../public/Icon';
import '../../public/public.css';
import { formatBytes } from '../attachments/uploadErrors';

/** The files an entry names: an upload's one file, or those sent with a reply. */
function filesOf(e: PortalEvent): PortalFileRef[] {
  if (e.kind === 'attachment' && e.data.attachment) return [e.data.attachment as PortalFileRef];
  if (e.kind === 'reply' && Array.isArray(e.data.attachments))
    return e.data.attachments as PortalFileRef[];
  return [];
}

/** Files of a timeline entry: download links for the signed-in customer, names for a guest. */
function PortalFileList({
  files,
  downloadable,
}: {
  files: PortalFileRef[];
  downloadable: boolean;
}) {
  if (files.length === 0) return null;
  return (
    <ul className="kp-files" data-testid="portal-files">
      {files.map((f) => (
        <li key={f.id}>
          <Icon name="file" />
          {downloadable ? (
            <a
              href={portalFileUrl(f.id)}
              target="_blank"
              rel="noopener noreferrer"
              data-testid="portal-file-link"
            >
              {f.filename}
            </a>
          ) : (
            <span data-testid="portal-file-name">{f.filename}</span>
          )}
          <span className="kp-secondary kp-small">{formatBytes(f.size)}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The public history of a request as the customer sees it. Plain elements (no antd): the guest
 * look-up is a customer's first visit (issue 10). `downloadable`: file names are
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
    <ol className="kp-timeline" data-testid="portal-timeline">
      {shown.map((e) => (
        <li key={e.id}>
          <span
            className={`kp-timeline-dot kp-timeline-dot-${e.author === 'you' ? 'green' : e.author === 'staff' ? 'blue' : 'gray'}`}
            aria-hidden="true"
          />
          <div data-testid={`portal-event-${e.kind}`}>
            <strong>{author(e)}</strong>{' '}
            <span className="kp-secondary">
              {what(e)} · {formatDate(e.at)}
            </span>
            {e.body && <p className="kp-timeline-body">{e.body}</p>}
            <PortalFileList files={filesOf(e)} downloadable={downloadable} />
          </div>
        </li>
      ))}
    </ol>
  );
}
