import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../api/auth';
import { useCalls } from '../../api/calls';
import { CallTable } from './CallTable';
import { DialButton } from './DialButton';

/** Call records on the ticket page: the calls registered as this ticket and the customer's calls. */
export function CallRecords(props: { ticketId: string; customerId: string }) {
  const { t } = useTranslation();
  const can = useAbilities();
  const enabled = can('calls.read');
  const byCustomer = useCalls({ customerId: props.customerId }, enabled);
  if (!enabled) return null;
  const calls = byCustomer.data?.data ?? [];
  const dial = (
    <DialButton target={{ ticketId: props.ticketId }} label={t('calls.dial.customer')} />
  );
  if (!byCustomer.isLoading && calls.length === 0)
    return can('calls.dial') ? (
      <Card size="small" title={t('calls.records.title')} extra={dial} data-testid="call-records">
        <Typography.Text type="secondary">{t('calls.records.empty')}</Typography.Text>
      </Card>
    ) : null;
  return (
    <Card size="small" title={t('calls.records.title')} extra={dial} data-testid="call-records">
      <CallTable
        compact
        loading={byCustomer.isLoading}
        calls={[...calls].sort(
          (a, b) =>
            Number(b.ticket?.id === props.ticketId) - Number(a.ticket?.id === props.ticketId),
        )}
      />
    </Card>
  );
}
