import { Badge, Flex, Menu, Typography } from 'antd';
import type { MenuProps } from 'antd';
import {
  CheckCircleOutlined,
  InboxOutlined,
  ScheduleOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  UnorderedListOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useTicketCounts } from '../../../api/tickets';
import { QUEUES, type Queue } from '../../../api/ticketTypes';

const ICONS: Record<Queue, ReactNode> = {
  mine: <UserOutlined />,
  team: <TeamOutlined />,
  unassigned: <InboxOutlined />,
  green_channel: <ThunderboltOutlined />,
  awaiting_confirmation: <CheckCircleOutlined />,
  follow_up: <ScheduleOutlined />,
  all: <UnorderedListOutlined />,
};

/** Queues that ask for attention when not empty get a red count. */
const URGENT: ReadonlySet<Queue> = new Set(['unassigned', 'green_channel', 'follow_up']);

export function QueueList({ value, onChange }: { value: Queue; onChange: (q: Queue) => void }) {
  const { t } = useTranslation();
  const counts = useTicketCounts();

  const items: MenuProps['items'] = QUEUES.map((queue) => {
    const count = counts.data?.[queue];
    return {
      key: queue,
      icon: ICONS[queue],
      label: (
        <Flex justify="space-between" align="center" gap={8} data-testid={`queue-${queue}`}>
          <Typography.Text ellipsis style={{ color: 'inherit' }}>
            {t(`tickets.queues.${queue}`)}
          </Typography.Text>
          {count !== undefined && (
            <Badge
              count={count}
              showZero
              overflowCount={9999}
              color={URGENT.has(queue) && count > 0 ? 'red' : 'rgba(0,0,0,0.25)'}
              style={{ display: 'block' }}
              data-testid={`queue-count-${queue}`}
            />
          )}
        </Flex>
      ),
    };
  });

  return (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={[value]}
      onClick={({ key }) => onChange(key as Queue)}
      style={{ borderInlineEnd: 'none' }}
      aria-label={t('tickets.queues.title')}
      data-testid="queue-list"
    />
  );
}
