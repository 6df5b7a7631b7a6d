import { Empty, Space, Tag, Timeline, Typography, theme } from 'antd';
import type { TimelineProps } from 'antd';
import {
  CheckCircleOutlined,
  CommentOutlined,
  EditOutlined,
  FileAddOutlined,
  LinkOutlined,
  LockOutlined,
  PaperClipOutlined,
  PhoneOutlined,
  ScheduleOutlined,
  SwapOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../../../api/ticketTypes';
import { useFormatDateTime } from '../../../lib/format';
import { useTimelineSummary } from './timelineSummary';
import { AttachmentLinks, attachmentsOf } from '../../attachments/AttachmentLinks';
import type { MailDelivery } from '../../../api/mailOutbound';
import { DeliveryReason, MailDeliveryTag } from '../../mail/OutboundMail';

const ICONS: Record<string, ReactNode> = {
  created: <FileAddOutlined />,
  reply: <CommentOutlined />,
  note: <LockOutlined />,
  status: <SwapOutlined />,
  assignment: <UserSwitchOutlined />,
  owner: <UserSwitchOutlined />,
  field: <EditOutlined />,
  tier: <EditOutlined />,
  merge: <LinkOutlined />,
  return_visit: <PhoneOutlined />,
  confirmation: <CheckCircleOutlined />,
  follow_up: <ScheduleOutlined />,
  attachment: <PaperClipOutlined />,
};

const COLORS: Record<string, string> = {
  reply: 'blue',
  note: 'gold',
  confirmation: 'green',
  return_visit: 'green',
  follow_up: 'red',
};

interface Props {
  entries: TimelineEntry[];
  /** The customer portal shows the public entries without internal wording. */
  audience?: 'staff' | 'customer';
  /** Replies sent by mail, and how their delivery went (modules/mail, staff only). */
  deliveries?: MailDelivery[];
}

/** The ticket's immutable history; internal notes on a yellow background with a lock. */
export function TicketTimeline({ entries, audience = 'staff', deliveries }: Props) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const formatDate = useFormatDateTime();
  const summarize = useTimelineSummary(audience);

  if (entries.length === 0) return <Empty description={t('tickets.timeline.empty')} />;

  const items: NonNullable<TimelineProps['items']> = entries.map((entry) => {
    const internal = entry.visibility === 'internal' || entry.kind === 'note';
    const isMessage = entry.kind === 'reply' || entry.kind === 'note';
    const byCustomer = !entry.actor && entry.data?.by === 'customer';
    const delivery = deliveries?.find((d) => d.eventId === entry.id);
    const who =
      entry.actor?.name ??
      (byCustomer
        ? t(audience === 'customer' ? 'portal.you' : 'tickets.timeline.customer')
        : t(audience === 'customer' ? 'portal.staff' : 'tickets.timeline.system'));
    return {
      key: entry.id,
      color: COLORS[entry.kind] ?? 'gray',
      icon: ICONS[entry.kind],
      content: (
        <div data-testid="timeline-entry" data-kind={entry.kind} data-visibility={entry.visibility}>
          <Space size={8} wrap>
            <Typography.Text strong>{who}</Typography.Text>
            <Typography.Text type="secondary">{summarize(entry)}</Typography.Text>
            {internal && audience === 'staff' && (
              <Tag color="gold" icon={<LockOutlined />}>
                {t('tickets.timeline.internal')}
              </Tag>
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDate(entry.at)}
            </Typography.Text>
            {delivery && audience === 'staff' && <MailDeliveryTag delivery={delivery} />}
          </Space>
          {entry.body && (
            <div
              style={{
                marginTop: 6,
                padding: isMessage ? '8px 12px' : 0,
                borderRadius: token.borderRadius,
                whiteSpace: 'pre-wrap',
                overflowWrap: 'anywhere',
                background: isMessage
                  ? internal
                    ? token.colorWarningBg
                    : token.colorInfoBg
                  : undefined,
                border: isMessage
                  ? `1px ${internal ? 'dashed' : 'solid'} ${
                      internal ? token.colorWarningBorder : token.colorInfoBorder
                    }`
                  : undefined,
                color: isMessage ? undefined : token.colorTextSecondary,
              }}
            >
              {entry.body}
            </div>
          )}
          {delivery && audience === 'staff' && <DeliveryReason delivery={delivery} />}
          <AttachmentLinks files={attachmentsOf(entry.data)} audience={audience} />
        </div>
      ),
    };
  });

  return <Timeline items={items} data-testid="ticket-timeline" />;
}
