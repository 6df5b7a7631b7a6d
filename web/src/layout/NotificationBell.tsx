import { useState } from 'react';
import { App, Badge, Button, Empty, Flex, Popover, Spin, Tag, Typography, theme } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  useMarkAllRead,
  useMarkRead,
  useNotifications,
  useNotificationStream,
  type Notification,
} from '../api/notifications';
import { useFormatDateTime } from '../lib/format';

const KIND_COLOURS: Record<string, string> = {
  sla_breach: 'error',
  sla_warning: 'warning',
  'ticket.green_channel': 'success',
  'ticket.assigned': 'processing',
  'ticket.portal_request': 'cyan',
  'ticket.customer_reply': 'geekblue',
  'ticket.confirmed': 'green',
  'ticket.rejected': 'orange',
};

/**
 * The header's bell: unread badge, the newest notifications (each opens its ticket), "mark all
 * read". New ones arrive live over the notification stream and pop up as a toast; without the
 * stream the list is polled.
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { notification } = App.useApp();
  const navigate = useNavigate();
  const formatDateTime = useFormatDateTime();
  const [open, setOpen] = useState(false);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();

  const go = (n: Notification) => {
    if (!n.readAt) markRead.mutate(n.id);
    setOpen(false);
    if (n.ticketId) void navigate(`/tickets/${n.ticketId}`);
  };
  const live = useNotificationStream((n) =>
    notification.open({
      key: n.id,
      title: t('notifications.new'),
      description: n.title,
      type:
        n.kind === 'sla_breach'
          ? 'error'
          : n.kind === 'sla_warning' || n.kind === 'ticket.rejected'
            ? 'warning'
            : 'info',
      placement: 'topRight',
      onClick: () => {
        notification.destroy(n.id);
        go(n);
      },
    }),
  );
  const list = useNotifications(live);
  const items = list.data?.data ?? [];
  const unread = list.data?.unreadCount ?? 0;

  const content = (
    <Flex vertical style={{ width: 360 }} data-testid="notification-list">
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('notifications.title')}</Typography.Text>
        <Button
          type="link"
          size="small"
          disabled={unread === 0}
          loading={markAll.isPending}
          onClick={() => markAll.mutate()}
          data-testid="notifications-read-all"
        >
          {t('notifications.markAllRead')}
        </Button>
      </Flex>
      {list.isPending ? (
        <Spin />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />
      ) : (
        <Flex vertical style={{ maxHeight: 420, overflowY: 'auto' }}>
          {items.map((n) => (
            <Flex
              key={n.id}
              vertical
              gap={2}
              role="button"
              tabIndex={0}
              onClick={() => go(n)}
              onKeyDown={(e) => e.key === 'Enter' && go(n)}
              data-testid={`notification-${n.id}`}
              style={{
                padding: '8px 4px',
                cursor: 'pointer',
                borderBottom: `1px solid ${token.colorBorderSecondary}`,
                background: n.readAt ? undefined : token.colorPrimaryBg,
              }}
            >
              <Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>
              <Flex gap={8} align="center">
                <Tag color={KIND_COLOURS[n.kind] ?? 'default'} style={{ marginInlineEnd: 0 }}>
                  {t(`notifications.kinds.${n.kind}`, {
                    defaultValue: t('notifications.kinds.other'),
                  })}
                </Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(n.createdAt)}
                </Typography.Text>
              </Flex>
            </Flex>
          ))}
        </Flex>
      )}
      {!live && (
        <Typography.Text type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
          {t('notifications.polling')}
        </Typography.Text>
      )}
    </Flex>
  );

  return (
    <Popover
      content={content}
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={setOpen}
    >
      <Badge count={unread} size="small" overflowCount={99}>
        <Button
          type="text"
          icon={<BellOutlined />}
          aria-label={t('notifications.bell', { count: unread })}
          data-testid="notification-bell"
        />
      </Badge>
    </Popover>
  );
}
