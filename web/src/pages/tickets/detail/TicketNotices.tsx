import { Alert, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Ticket } from '../../../api/ticketTypes';

/** Registration paths (from the server's `registration.missing`) → label keys. */
const MISSING_LABELS: Record<string, string> = {
  'customer.name': 'customers.fields.name',
  'customer.contact': 'tickets.registration.contact',
  description: 'tickets.fields.description',
  channel: 'tickets.fields.channel',
  receivedAt: 'tickets.fields.receivedAt',
  receivingAgent: 'tickets.registration.receivingAgent',
};

/** 先登记、后处理 (incomplete registration) and "merged into" notices above the timeline. */
export function TicketNotices({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const missing = ticket.registration?.complete === false ? ticket.registration.missing : [];
  if (missing.length === 0 && !ticket.mergedInto) return null;
  return (
    <Flex vertical gap={8}>
      {missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="registration-incomplete"
          title={t('tickets.registration.incomplete', {
            missing: missing
              .map((path) => (MISSING_LABELS[path] ? t(MISSING_LABELS[path]) : path))
              .join(t('common.listSeparator')),
          })}
        />
      )}
      {ticket.mergedInto && (
        <Alert
          type="info"
          showIcon
          title={
            <>
              {t('tickets.mergedInto')}{' '}
              <Link to={`/tickets/${ticket.mergedInto.id}`}>{ticket.mergedInto.number}</Link>
            </>
          }
        />
      )}
    </Flex>
  );
}
