import { useTranslation } from 'react-i18next';
import type { TicketStatus, TimelineEntry } from '../../../api/ticketTypes';
import { useFormatDateTime } from '../../../lib/format';
import { useTicketLabels } from '../../../lib/ticketLabels';

type Data = Record<string, unknown>;

/** A string field, or the `name` of an `{ id, name }` field. */
function text(data: Data, key: string): string | undefined {
  const value = data[key];
  if (typeof value === 'string' && value) return value;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && typeof (value as Data).name === 'string') {
    return (value as { name: string }).name;
  }
  return undefined;
}

/** One line saying what a timeline entry did ("changed status: 处理中 → 已解决"). */
export function useTimelineSummary(audience: 'staff' | 'customer') {
  const { t } = useTranslation();
  const labels = useTicketLabels({ staff: audience === 'staff' });
  const formatDate = useFormatDateTime();
  const none = t('tickets.none');

  const status = (value?: string) => (value ? labels.status(value as TicketStatus) : none);

  return (entry: TimelineEntry): string => {
    const data = entry.data ?? {};
    const s = (key: string) => text(data, key);
    switch (entry.kind) {
      case 'created':
        return t('tickets.timeline.created', {
          channel: labels.channel(s('channel') ?? ''),
        });
      case 'reply':
        return t('tickets.timeline.reply');
      case 'note':
        return t('tickets.timeline.note');
      case 'status': {
        const base = t('tickets.timeline.status', { from: status(s('from')), to: status(s('to')) });
        const reason = s('reason');
        return reason && !entry.body ? `${base} — ${reason}` : base;
      }
      case 'assignment': {
        // data: { team?: { from, to }, handler?: { from, to } } — names or { id, name }.
        const change = (key: string) => {
          const value = data[key];
          return value && typeof value === 'object' ? (text(value as Data, 'to') ?? none) : none;
        };
        if (data.team && !data.handler)
          return t('tickets.timeline.assignTeam', { team: change('team') });
        if (data.handler && !data.team)
          return t('tickets.timeline.assignHandler', { handler: change('handler') });
        return t('tickets.timeline.assignment', {
          team: change('team'),
          handler: change('handler'),
        });
      }
      case 'owner':
        return t('tickets.timeline.owner', { from: s('from') ?? none, to: s('to') ?? none });
      case 'tier':
        return t('tickets.timeline.tier', { from: s('from') ?? none, to: s('to') ?? none });
      case 'field': {
        const fields = Object.keys((data.changes as Data | undefined) ?? {});
        const names = fields.length ? fields : [s('field')].filter(Boolean);
        return t('tickets.timeline.field', {
          fields: names
            .map((f) => t(`tickets.fields.${String(f)}`, { defaultValue: String(f) }))
            .join(t('common.listSeparator')),
        });
      }
      case 'merge': {
        const into = data.into as Data | undefined;
        const from = data.from as Data | undefined;
        return into
          ? t('tickets.timeline.mergedInto', { number: text(into, 'number') ?? none })
          : t('tickets.timeline.mergedFrom', { number: (from && text(from, 'number')) ?? none });
      }
      case 'link': {
        const other = data.other as Data | undefined;
        return t('tickets.timeline.link', { number: (other && text(other, 'number')) ?? none });
      }
      case 'return_visit':
        return t(
          data.customerAccepted === false
            ? 'tickets.timeline.returnVisitRejected'
            : 'tickets.timeline.returnVisit',
        );
      case 'confirmation': {
        const decision = s('decision');
        if (decision === 'confirm') return t('tickets.timeline.confirmed');
        if (decision === 'reject') return t('tickets.timeline.rejected');
        if (audience === 'customer') return t('tickets.timeline.confirmationAsked');
        const sentTo = s('sentTo');
        return sentTo
          ? t('tickets.timeline.confirmationSentTo', { to: sentTo })
          : t('tickets.timeline.confirmationSent');
      }
      case 'follow_up': {
        const due = s('dueAt');
        return data.doneAt || data.done
          ? t('tickets.timeline.followUpDone')
          : t('tickets.timeline.followUp', { due: due ? formatDate(due) : none });
      }
      default:
        return entry.kind;
    }
  };
}
