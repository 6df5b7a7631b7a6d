import { Flex, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SlaRisk, Ticket, TicketSort } from '../../../api/ticketTypes';
import { dateTimeFormat, useFormatDateTime } from '../../../lib/format';
import { useTicketLabels } from '../../../lib/ticketLabels';
import { GreenChannelTag, PriorityTag, StatusTag, TierTag } from '../components/TicketTags';

/** Short date-time for the table cells ("12/3 17:25"; the year only when it is not this one). */
function useShortDateTime() {
  const { i18n } = useTranslation();
  const thisYear = dateTimeFormat(i18n.language, {
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  const otherYear = dateTimeFormat(i18n.language, {
    dateStyle: 'short',
    timeStyle: 'short',
  });
  return (iso: string) => {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    return (d.getFullYear() === new Date().getFullYear() ? thisYear : otherYear).format(d);
  };
}

/**
 * One line cut with "…" by CSS, the whole text on hover (`title`). Not antd's `Typography`
 * ellipsis: that measures every cell after rendering and wraps each in a Tooltip; with these
 * spans a page of 50 tickets shows ≈ 0.15 s sooner (issue 10, docs/benchmarks.md agent-pages).
 */
const ONE_LINE = {
  display: 'block',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
} as const;
const ellipsis = (text: string) => (
  <span style={ONE_LINE} title={text}>
    {text}
  </span>
);

/**
 * Columns of the console table; `received` and `due` sort on the server (so does the picker).
 * At 1280–1440 px the columns that matter for picking work — number, subject, status, due,
 * owner, handler — fit without scrolling (issue 9); tier, priority, category, customer, channel
 * and received time join from 1600 px (antd `xxl`) and are on the ticket page anyway.
 */
export function useTicketColumns(sort: TicketSort): TableColumnsType<Ticket> {
  const { t } = useTranslation();
  const labels = useTicketLabels();
  const formatDate = useFormatDateTime();
  const short = useShortDateTime();
  const none = t('tickets.none');
  const { token } = theme.useToken();
  // Risk colours of the due column: as the ticket page's SLA card (orange warning, red breached).
  const riskColor: Record<SlaRisk, string | undefined> = {
    ok: undefined,
    warning: token.colorWarning,
    breached: token.colorError,
  };

  return [
    {
      title: t('tickets.fields.number'),
      key: 'number',
      fixed: 'start',
      width: 140,
      render: (_, ticket) => (
        <Link
          style={{ whiteSpace: 'nowrap' }}
          to={`/tickets/${ticket.id}`}
          data-testid="ticket-link"
        >
          {ticket.number}
        </Link>
      ),
    },
    {
      title: t('tickets.fields.subject'),
      key: 'subject',
      ellipsis: true,
      render: (_, ticket) => (
        <Flex gap={4} align="center" style={{ minWidth: 0 }}>
          {ticket.greenChannel && <GreenChannelTag compact />}
          <span style={{ ...ONE_LINE, flex: 1, minWidth: 0 }} title={ticket.subject}>
            {ticket.subject}
          </span>
        </Flex>
      ),
    },
    {
      title: t('tickets.fields.status'),
      key: 'status',
      width: 112,
      render: (_, ticket) => <StatusTag status={ticket.status} />,
    },
    {
      title: t('tickets.fields.tier'),
      key: 'tier',
      responsive: ['xxl'],
      width: 80,
      render: (_, ticket) => <TierTag tier={ticket.tier} />,
    },
    {
      title: t('tickets.fields.priority'),
      key: 'priority',
      responsive: ['xxl'],
      width: 90,
      render: (_, ticket) => <PriorityTag priority={ticket.priority} />,
    },
    {
      title: t('tickets.fields.category'),
      key: 'category',
      responsive: ['xxl'],
      width: 100,
      render: (_, ticket) => ellipsis(labels.category(ticket.category)),
    },
    {
      title: t('tickets.fields.customer'),
      key: 'customer',
      responsive: ['xxl'],
      width: 110,
      render: (_, ticket) => ellipsis(ticket.customer.name),
    },
    {
      title: t('tickets.fields.channel'),
      key: 'channel',
      responsive: ['xxl'],
      width: 90,
      render: (_, ticket) => labels.channel(ticket.channel),
    },
    {
      title: t('tickets.fields.ownerShort'),
      key: 'owner',
      width: 90,
      render: (_, ticket) => ellipsis(ticket.owner.name),
    },
    {
      title: t('tickets.fields.handler'),
      key: 'handler',
      width: 130,
      render: (_, ticket) =>
        ellipsis([ticket.team?.name, ticket.handler?.name].filter(Boolean).join(' / ') || none),
    },
    {
      title: t('tickets.fields.receivedAt'),
      key: 'received',
      responsive: ['xxl'],
      width: 120,
      sorter: true,
      sortDirections: ['descend', 'ascend'],
      sortOrder: sort === 'received_desc' ? 'descend' : sort === 'received_asc' ? 'ascend' : null,
      render: (_, ticket) => (
        <span title={formatDate(ticket.receivedAt)}>{short(ticket.receivedAt)}</span>
      ),
    },
    {
      title: t('tickets.fields.slaDueAt'),
      key: 'due',
      width: 120,
      sorter: true,
      sortDirections: ['ascend'],
      sortOrder: sort === 'due_asc' ? 'ascend' : null,
      render: (_, ticket) =>
        ticket.slaDueAt ? (
          <span
            style={
              ticket.slaRisk
                ? {
                    color: riskColor[ticket.slaRisk],
                    fontWeight: ticket.slaRisk === 'breached' ? 600 : undefined,
                  }
                : undefined
            }
            title={
              (ticket.slaRisk ? `${t(`tickets.slaRisk.${ticket.slaRisk}`)} · ` : '') +
              formatDate(ticket.slaDueAt)
            }
            data-testid="ticket-due"
            data-risk={ticket.slaRisk ?? undefined}
          >
            {short(ticket.slaDueAt)}
          </span>
        ) : (
          none
        ),
    },
  ];
}
