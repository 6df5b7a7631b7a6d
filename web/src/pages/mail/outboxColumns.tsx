import { Flex, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import { Link } from 'react-router';
import type { OutboxMail } from '../../api/settings';
import type { useFormatDateTime } from '../../lib/format';

/** The columns every list of outbox mail starts with: when, to whom, what, and its ticket. */
export function outboxMailColumns(
  t: TFunction,
  formatDate: ReturnType<typeof useFormatDateTime>,
): TableColumnsType<OutboxMail> {
  return [
    {
      title: t('adminSettings.mail.createdAt'),
      key: 'createdAt',
      width: 170,
      render: (_, m) => formatDate(m.createdAt),
    },
    { title: t('adminSettings.mail.to'), dataIndex: 'to', key: 'to', ellipsis: true },
    {
      title: t('adminSettings.mail.subject'),
      key: 'subject',
      ellipsis: true,
      render: (_, m) => (
        <Flex vertical>
          <span>{m.subject}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="mail-template">
            {t(`adminSettings.mail.templates.${m.template}`, { defaultValue: m.template })}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('adminSettings.mail.ticket'),
      key: 'ticket',
      width: 90,
      render: (_, m) =>
        m.ticketId ? (
          <Link to={`/tickets/${m.ticketId}`}>{t('adminSettings.mail.openTicket')}</Link>
        ) : (
          '—'
        ),
    },
  ];
}
