import { useState } from 'react';
import { Button, Card, Descriptions, Flex, Space, Tag, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { ArrowLeftOutlined, EditOutlined, ScissorOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAbilities } from '../../../api/auth';
import { useTicketFields } from '../../../api/ticketAdmin';
import type { Ticket } from '../../../api/ticketTypes';
import { useFormatDateTime } from '../../../lib/format';
import { useTicketLabels } from '../../../lib/ticketLabels';
import { useFieldLabel, useFormatFieldValue } from '../components/CustomFieldInputs';
import { GreenChannelTag, PriorityTag, StatusTag, TierTag } from '../components/TicketTags';
import { EditFieldsModal } from './EditFieldsModal';
import { SplitModal } from './SplitModal';
import { StatusActions } from './StatusActions';

/** Number, subject, tags and the people of a ticket, with its status actions. */
export function TicketHeader({ ticket, editable }: { ticket: Ticket; editable: boolean }) {
  const { t } = useTranslation();
  const labels = useTicketLabels();
  const formatDate = useFormatDateTime();
  const [editing, setEditing] = useState(false);
  const [splitting, setSplitting] = useState(false);
  const can = useAbilities();
  const fields = useTicketFields().data ?? [];
  const fieldLabel = useFieldLabel();
  const formatValue = useFormatFieldValue();
  const none = t('tickets.none');

  const items: NonNullable<DescriptionsProps['items']> = [
    { key: 'customer', label: t('tickets.fields.customer'), children: ticket.customer.name },
    { key: 'owner', label: t('tickets.fields.owner'), children: ticket.owner.name },
    { key: 'team', label: t('tickets.fields.team'), children: ticket.team?.name ?? none },
    { key: 'handler', label: t('tickets.fields.handler'), children: ticket.handler?.name ?? none },
    {
      key: 'category',
      label: t('tickets.fields.category'),
      children: labels.category(ticket.category),
    },
    {
      key: 'channel',
      label: t('tickets.fields.channel'),
      children: labels.channel(ticket.channel),
    },
    {
      key: 'receivedAt',
      label: t('tickets.fields.receivedAt'),
      children: formatDate(ticket.receivedAt),
    },
    {
      key: 'registered',
      label: t('tickets.fields.registeredBy'),
      children: `${ticket.registeredBy.name} · ${formatDate(ticket.registeredAt)}`,
    },
  ];
  if (ticket.tags.length > 0) {
    items.push({
      key: 'tags',
      label: t('tickets.fields.tags'),
      children: (
        <Space size={[0, 4]} wrap>
          {ticket.tags.map((tag) => (
            <Tag key={tag}>{tag}</Tag>
          ))}
        </Space>
      ),
    });
  }
  // Custom fields with a value (including ones since deactivated: the record keeps them).
  for (const field of fields) {
    const value = ticket.customFields?.[field.key];
    if (value === undefined || value === null) continue;
    items.push({
      key: `cf-${field.key}`,
      label: fieldLabel(field),
      children: formatValue(field, value),
    });
  }
  if (ticket.closeKind) {
    items.push({
      key: 'closeKind',
      label: t('tickets.fields.closeKind'),
      children: labels.closeKind(ticket.closeKind),
    });
  }

  return (
    <Card data-testid="ticket-header">
      <Link to="/tickets" style={{ display: 'inline-block', marginBottom: 8 }}>
        <ArrowLeftOutlined /> {t('tickets.backToConsole')}
      </Link>
      <Flex justify="space-between" align="start" wrap gap={12}>
        <div style={{ minWidth: 0 }}>
          <Typography.Text type="secondary" copyable data-testid="ticket-number">
            {ticket.number}
          </Typography.Text>
          <Typography.Title level={3} style={{ margin: '4px 0 8px' }} data-testid="page-title">
            {ticket.subject}
          </Typography.Title>
          <Space size={[4, 4]} wrap>
            <StatusTag status={ticket.status} />
            <TierTag tier={ticket.tier} />
            <PriorityTag priority={ticket.priority} />
            {ticket.status === 'resolved' && ticket.confirmedAt && (
              <Tag color="green" data-testid="customer-confirmed-tag">
                {t('tickets.customerConfirmed')}
              </Tag>
            )}
            {ticket.greenChannel && <GreenChannelTag />}
          </Space>
        </div>
        <Space wrap>
          {editable && (
            <Button
              icon={<EditOutlined />}
              onClick={() => setEditing(true)}
              data-testid="edit-ticket"
            >
              {t('common.edit')}
            </Button>
          )}
          {editable && can('tickets.split') && (
            <Button
              icon={<ScissorOutlined />}
              onClick={() => setSplitting(true)}
              data-testid="split-ticket"
            >
              {t('ticketAdmin.split.action')}
            </Button>
          )}
        </Space>
      </Flex>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 4 }}
        items={items}
        style={{ marginTop: 16 }}
      />
      <Flex style={{ marginTop: 8 }}>
        <StatusActions ticket={ticket} />
      </Flex>
      <EditFieldsModal ticket={ticket} open={editing} onClose={() => setEditing(false)} />
      {splitting && <SplitModal ticket={ticket} open onClose={() => setSplitting(false)} />}
    </Card>
  );
}
