import { Space, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SlaRisk, Ticket, TicketSort } from '../../../api/ticketTypes';
import { useFormatDateTime } from '../../../lib/format';
import { useTicketLabels } from '../../../lib/ticketLabels';
import { GreenChannelTag, PriorityTag, StatusTag, TierTag } from '../components/TicketTags';

/** Risk colours of the due column: as the ticket page's SLA card (orange warning, red breached). */
const RISK_TEXT: Record<SlaRisk, 'warning' | 'danger' | undefined> = {
  ok: undefined,
  warning: 'warning',
  breached: 'danger',
};

/** Columns of the console table; `received` and `due` sort on the server (so does the picker). */
export function useTicketColumns(sort: TicketSort): TableColumnsType<Ticket> {
  const { t } = useTranslation();
  const labels = useTicketLabels();
  const formatDate = useFormatDateTime();
  const none = t('tickets.none');

  return [
    {
      title: t('tickets.fields.number'),
      key: 'number',
      fixed: 'start',
      render: (_, ticket) => (
        <Link to={`/tickets/${ticket.id}`} data-testid="ticket-link">
          {ticket.number}
        </Link>
      ),
    },
    {
      title: t('tickets.fields.subject'),
      key: 'subject',
      render: (_, ticket) => (
        <Space size={4}>
          {ticket.greenChannel && <GreenChannelTag compact />}
          <Typography.Text ellipsis style={{ maxWidth: 240 }} title={ticket.subject}>
            {ticket.subject}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('tickets.fields.status'),
      key: 'status',
      render: (_, ticket) => <StatusTag status={ticket.status} />,
    },
    {
      title: t('tickets.fields.tier'),
      key: 'tier',
      render: (_, ticket) => <TierTag tier={ticket.tier} />,
    },
    {
      title: t('tickets.fields.priority'),
      key: 'priority',
      render: (_, ticket) => <PriorityTag priority={ticket.priority} />,
    },
    {
      title: t('tickets.fields.category'),
      key: 'category',
      render: (_, ticket) => labels.category(ticket.category),
    },
    {
      title: t('tickets.fields.customer'),
      key: 'customer',
      render: (_, ticket) => ticket.customer.name,
    },
    {
      title: t('tickets.fields.channel'),
      key: 'channel',
      render: (_, ticket) => labels.channel(ticket.channel),
    },
    {
      title: t('tickets.fields.ownerShort'),
      key: 'owner',
      render: (_, ticket) => ticket.owner.name,
    },
    {
      title: t('tickets.fields.handler'),
      key: 'handler',
      render: (_, ticket) =>
        [ticket.team?.name, ticket.handler?.name].filter(Boolean).join(' / ') || none,
    },
    {
      title: t('tickets.fields.receivedAt'),
      key: 'received',
      sorter: true,
      sortDirections: ['descend', 'ascend'],
      sortOrder: sort === 'received_desc' ? 'descend' : sort === 'received_asc' ? 'ascend' : null,
      render: (_, ticket) => formatDate(ticket.receivedAt),
    },
    {
      title: t('tickets.fields.slaDueAt'),
      key: 'due',
      sorter: true,
      sortDirections: ['ascend'],
      sortOrder: sort === 'due_asc' ? 'ascend' : null,
      render: (_, ticket) =>
        ticket.slaDueAt ? (
          <Typography.Text
            type={ticket.slaRisk ? RISK_TEXT[ticket.slaRisk] : undefined}
            strong={ticket.slaRisk === 'breached'}
            title={ticket.slaRisk ? t(`tickets.slaRisk.${ticket.slaRisk}`) : undefined}
            data-testid="ticket-due"
            data-risk={ticket.slaRisk ?? undefined}
          >
            {formatDate(ticket.slaDueAt)}
          </Typography.Text>
        ) : (
          none
        ),
    },
  ];
}
