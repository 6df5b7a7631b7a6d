import { Tag, Tooltip } from 'antd';
import { ThunderboltFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Priority, TicketStatus, Tier } from '../../../api/ticketTypes';
import {
  PRIORITY_COLORS,
  STATUS_COLORS,
  TIER_COLORS,
  useEnumLabels,
} from '../../../lib/ticketLabels';

export function StatusTag({ status }: { status: TicketStatus }) {
  const labels = useEnumLabels();
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-testid="status-tag" data-status={status}>
      {labels.status(status)}
    </Tag>
  );
}

export function TierTag({ tier }: { tier: Tier }) {
  const labels = useEnumLabels();
  return (
    <Tooltip title={labels.tier(tier)}>
      <Tag color={TIER_COLORS[tier] ?? 'default'} data-testid="tier-tag">
        {tier}
      </Tag>
    </Tooltip>
  );
}

export function PriorityTag({ priority }: { priority: Priority }) {
  const labels = useEnumLabels();
  return (
    <Tag color={PRIORITY_COLORS[priority] ?? 'default'} data-testid="priority-tag">
      {labels.priority(priority)}
    </Tag>
  );
}

/** 绿色通道: L3 tickets escalated at once to supervisors; `compact` shows only the icon. */
export function GreenChannelTag({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={compact ? t('tickets.greenChannel') : t('tickets.greenChannelHint')}>
      <Tag
        color="success"
        icon={<ThunderboltFilled />}
        aria-label={t('tickets.greenChannel')}
        data-testid="green-channel-tag"
      >
        {compact ? null : t('tickets.greenChannel')}
      </Tag>
    </Tooltip>
  );
}
