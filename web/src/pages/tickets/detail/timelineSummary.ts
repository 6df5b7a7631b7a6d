import { useTranslation } from 'react-i18next';
import { useTicketFields } from '../../../api/ticketAdmin';
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
  const { t, i18n } = useTranslation();
  const labels = useTicketLabels({ staff: audience === 'staff' });
  const formatDate = useFormatDateTime();
  const none = t('tickets.none');
  // Custom field names in "edited …" lines (staff only: customers never see field entries).
  const customFields = useTicketFields(audience === 'staff').data ?? [];
  const fieldName = (f: string) => {
    const key = /^customFields\.(.+)$/.exec(f)?.[1];
    if (key === undefined) return t(`tickets.fields.${f}`, { defaultValue: f });
    const def = customFields.find((d) => d.key === key);
    return def ? (i18n.language.startsWith('zh') ? def.labelZh : def.labelEn) : key;
  };

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
      case 'attachment':
        return t('attachments.timeline.uploaded');
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
        const rule = data.rule as Data | undefined;
        if (rule)
          return t('ticketAdmin.timeline.byRule', {
            rule: text(rule, 'name') ?? none,
            team: change('team'),
            handler: data.handler ? change('handler') : none,
          });
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
          fields: names.map((f) => fieldName(String(f))).join(t('common.listSeparator')),
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
        if (data.split === 'into' || data.split === 'from')
          return t(`ticketAdmin.timeline.split_${data.split}`, {
            number: (other && text(other, 'number')) ?? none,
          });
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
      case 'citation':
        return t('kb.cite.timeline', {
          title: s('articleTitle') ?? none,
          version: s('versionNumber') ?? none,
        });
      case 'handling_plan': {
        // data: { action: created|updated, owner, dueAt, public } (tickets/handling-plans.ts).
        const due = s('dueAt');
        return t(
          data.action === 'updated' ? 'sla.timeline.planUpdated' : 'sla.timeline.planCreated',
          {
            who: s('owner') ?? none,
            due: due ? formatDate(due) : none,
          },
        );
      }
      case 'sla': {
        // data: { event: warning|breach, target, priority?, tier?, team? } (the SLA sweeper).
        const target = t(`sla.kinds.${s('target') ?? ''}`, { defaultValue: s('target') ?? none });
        if (data.event !== 'breach') return t('sla.timeline.warning', { target });
        const change = (key: string) => (data[key] ?? {}) as Data;
        const parts: string[] = [];
        if (data.priority) {
          const p = change('priority');
          parts.push(
            t('sla.timeline.priority', {
              from: labels.priority(text(p, 'from') ?? ''),
              to: labels.priority(text(p, 'to') ?? ''),
            }),
          );
        }
        if (data.tier) {
          const p = change('tier');
          parts.push(t('sla.timeline.tier', { from: text(p, 'from'), to: text(p, 'to') }));
        }
        if (data.team) parts.push(t('sla.timeline.team', { team: text(change('team'), 'to') }));
        const base = t('sla.timeline.breach', { target });
        return parts.length
          ? `${base} — ${t('sla.timeline.escalated', { changes: parts.join(t('common.listSeparator')) })}`
          : base;
      }
      default:
        return entry.kind;
    }
  };
}
