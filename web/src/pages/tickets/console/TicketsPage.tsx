import { useState } from 'react';
import { Button, Card, Flex, Grid, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAbilities } from '../../../api/auth';
import { useTickets } from '../../../api/tickets';
import type { Ticket, TicketSort } from '../../../api/ticketTypes';
import { LoadMore } from '../../../layout/LoadMore';
import { usePageTitle } from '../../../lib/usePageTitle';
import { Forbidden } from '../../errors/Forbidden';
import { QueryError, isForbidden } from '../../errors/QueryError';
import { BulkActions } from './BulkActions';
import { QueueList } from './QueueList';
import { SavedViews } from './SavedViews';
import { TicketFilterBar } from './TicketFilterBar';
import { useConsoleFilters } from './useConsoleFilters';
import { useTicketColumns } from './useTicketColumns';

/** The agent console: queues on the left, the filtered ticket table on the right. */
export function TicketsPage() {
  const { t } = useTranslation();
  usePageTitle(t('tickets.title'));
  const can = useAbilities();
  const navigate = useNavigate();
  const filtersState = useConsoleFilters();
  const { filters } = filtersState;
  const tickets = useTickets(filters);
  const columns = useTicketColumns(filters.sort ?? 'received_desc');
  const [selected, setSelected] = useState<Ticket[]>([]);
  const screens = Grid.useBreakpoint();

  if (isForbidden(tickets.error)) return <Forbidden />;
  const rows = tickets.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <Flex gap={16} align="start" wrap>
      <Card
        size="small"
        style={{ width: screens.md === false ? '100%' : 200, flex: 'none' }}
        styles={{ body: { padding: 4 } }}
      >
        <QueueList
          value={filters.queue ?? 'mine'}
          onChange={(queue) => {
            setSelected([]);
            filtersState.update({ queue });
          }}
        />
      </Card>
      {/* Basis 480 px: on a phone the table card goes under the queues instead of being squeezed. */}
      <Card
        style={{ flex: '1 1 480px', minWidth: 0 }}
        styles={screens.md === false ? { body: { padding: 12 } } : undefined}
      >
        <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
            {t(`tickets.queues.${filters.queue ?? 'mine'}`)}
          </Typography.Title>
          <Flex gap={8} wrap>
            <SavedViews current={filtersState.viewParams} onApply={filtersState.applyView} />
            {can('tickets.create') && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => void navigate('/tickets/new')}
                data-testid="register-ticket"
              >
                {t('tickets.register')}
              </Button>
            )}
          </Flex>
        </Flex>
        <TicketFilterBar console={filtersState} />
        {selected.length > 0 && (
          <div style={{ marginBottom: 12 }}>
            <BulkActions selected={selected} onDone={() => setSelected([])} />
          </div>
        )}
        {tickets.isError && (
          <QueryError error={tickets.error} onRetry={() => void tickets.refetch()} />
        )}
        <Table<Ticket>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={tickets.isPending || (tickets.isFetching && !tickets.isFetchingNextPage)}
          pagination={false}
          tableLayout="fixed"
          // Fixed widths (useTicketColumns): the subject takes what is left and ellipsises; below
          // this width (phones) the table scrolls sideways instead of squeezing.
          scroll={{ x: 720 }}
          rowSelection={
            can('tickets.bulk')
              ? {
                  selectedRowKeys: selected.map((ticket) => ticket.id),
                  onChange: (_, selectedRows) => setSelected(selectedRows),
                  preserveSelectedRowKeys: false,
                }
              : undefined
          }
          onChange={(_, __, sorter) => {
            const one = Array.isArray(sorter) ? sorter[0] : sorter;
            const sort: TicketSort | undefined =
              one?.columnKey === 'received' && one.order === 'ascend'
                ? 'received_asc'
                : one?.columnKey === 'due' && one.order === 'ascend'
                  ? 'due_asc'
                  : undefined;
            filtersState.update({ sort });
          }}
          data-testid="tickets-table"
        />
        <LoadMore query={tickets} />
      </Card>
    </Flex>
  );
}
