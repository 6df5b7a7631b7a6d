import {
  App,
  Card,
  Descriptions,
  Empty,
  List,
  Space,
  Switch,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAbilities } from '../../../api/auth';
import { useCustomer, useCustomerTickets, useUpdateCustomer } from '../../../api/customers';
import type { Ticket } from '../../../api/ticketTypes';
import { useApiErrorHandler } from '../../../lib/errors';
import { useFormatDateTime } from '../../../lib/format';
import { QueryError } from '../../errors/QueryError';
import { StatusTag } from '../components/TicketTags';
import { MergeCustomerButton } from './MergeCustomerButton';

const TIER_COLORS: Record<string, string> = { vip: 'gold', regular: 'blue', prospect: 'default' };

/** Who the customer is (contact masked by the server for agents) and their past tickets. */
export function CustomerPanel({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const customer = useCustomer(ticket.customer.id);
  const past = useCustomerTickets(ticket.customer.id);
  const none = t('tickets.none');
  const others = (past.data?.data ?? []).filter((other) => other.id !== ticket.id);
  const c = customer.data;
  const can = useAbilities();
  const update = useUpdateCustomer();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const setPrefersEmail = (on: boolean) =>
    c &&
    update.mutate(
      { id: c.id, prefersEmail: on },
      {
        onSuccess: () => void message.success(t('customers.preferenceSaved')),
        onError: (e) => onError(e),
      },
    );

  return (
    <Card
      size="small"
      title={t('customers.panelTitle')}
      extra={customer.data && <MergeCustomerButton customer={customer.data} />}
      loading={customer.isPending}
      data-testid="customer-panel"
    >
      {customer.isError && (
        <QueryError error={customer.error} onRetry={() => void customer.refetch()} />
      )}
      {c && (
        <>
          <Space style={{ marginBottom: 8 }}>
            <Typography.Text strong>{c.name}</Typography.Text>
            <Tag color={TIER_COLORS[c.tier] ?? 'default'}>{t(`customers.tier.${c.tier}`)}</Tag>
          </Space>
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'phone', label: t('customers.fields.phone'), children: c.phone ?? none },
              { key: 'email', label: t('customers.fields.email'), children: c.email ?? none },
              {
                key: 'prefersEmail',
                label: (
                  <Tooltip title={t('customers.prefersEmailHelp')}>
                    {t('customers.fields.prefersEmail')}
                  </Tooltip>
                ),
                children: (
                  <Tooltip title={c.email ? undefined : t('customers.prefersEmailNoAddress')}>
                    <Switch
                      size="small"
                      checked={c.prefersEmail}
                      loading={update.isPending}
                      disabled={!can('customers.update') || (!c.email && !c.prefersEmail)}
                      onChange={setPrefersEmail}
                      data-testid="customer-prefers-email"
                    />
                  </Tooltip>
                ),
              },
              ...(c.wechat
                ? [{ key: 'wechat', label: t('customers.fields.wechat'), children: c.wechat }]
                : []),
              ...(c.organisation
                ? [
                    {
                      key: 'organisation',
                      label: t('customers.fields.organisation'),
                      children: c.organisation,
                    },
                  ]
                : []),
              ...(c.notes
                ? [{ key: 'notes', label: t('customers.fields.notes'), children: c.notes }]
                : []),
            ]}
          />
        </>
      )}
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        {t('customers.pastTickets')}
      </Typography.Title>
      {past.isError ? (
        <QueryError error={past.error} onRetry={() => void past.refetch()} />
      ) : others.length === 0 && !past.isPending ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customers.noPastTickets')} />
      ) : (
        <List<Ticket>
          size="small"
          loading={past.isPending}
          dataSource={others}
          data-testid="customer-tickets"
          renderItem={(other) => (
            <List.Item extra={<StatusTag status={other.status} />}>
              <List.Item.Meta
                title={<Link to={`/tickets/${other.id}`}>{other.number}</Link>}
                description={
                  <>
                    <Typography.Text ellipsis style={{ maxWidth: 220 }}>
                      {other.subject}
                    </Typography.Text>
                    <br />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatDate(other.receivedAt)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
