import { Button, Empty, List, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMyRequests } from '../../api/portal';
import { useFormatDateTime } from '../../lib/format';
import { STATUS_COLORS, useTicketLabels } from '../../lib/ticketLabels';
import { QueryError } from '../errors/QueryError';
import { PortalLayout } from './PortalLayout';
import { PortalNav, RequirePortal } from './RequirePortal';

/** `/portal/requests` — the signed-in customer's requests, newest first. */
export function MyRequestsPage() {
  const { t } = useTranslation();
  return (
    <PortalLayout title={t('portal.requests.title')}>
      <RequirePortal>
        {(account) => (
          <>
            <PortalNav account={account} />
            <RequestList />
          </>
        )}
      </RequirePortal>
    </PortalLayout>
  );
}

function RequestList() {
  const { t } = useTranslation();
  const list = useMyRequests();
  const labels = useTicketLabels({ staff: false });
  const formatDate = useFormatDateTime();
  if (list.isError) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <>
      <List
        loading={list.isPending}
        dataSource={rows}
        locale={{
          emptyText: (
            <Empty description={t('portal.requests.empty')}>
              <Link to="/portal/requests/new">
                <Button type="primary" icon={<PlusOutlined />}>
                  {t('portal.nav.newRequest')}
                </Button>
              </Link>
            </Empty>
          ),
        }}
        data-testid="portal-requests"
        renderItem={(r) => (
          <List.Item key={r.id} data-testid="portal-request-row">
            <List.Item.Meta
              title={<Link to={`/portal/requests/${r.id}`}>{r.subject}</Link>}
              description={
                <Space size="small" wrap>
                  <Typography.Text type="secondary">{r.number}</Typography.Text>
                  <Typography.Text type="secondary">{formatDate(r.receivedAt)}</Typography.Text>
                  {r.awaitingConfirmation && (
                    <Tag color="gold">{t('portal.requests.awaiting')}</Tag>
                  )}
                </Space>
              }
            />
            <Tag color={STATUS_COLORS[r.status]}>{labels.status(r.status)}</Tag>
          </List.Item>
        )}
      />
      {list.hasNextPage && (
        <Button block onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('portal.requests.more')}
        </Button>
      )}
    </>
  );
}
