import { useState } from 'react';
import { App, Button, Modal, Select, Typography } from 'antd';
import { MergeCellsOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../../api/auth';
import { useCustomers, useMergeCustomer } from '../../../api/customers';
import type { Customer } from '../../../api/ticketTypes';
import { useApiErrorHandler } from '../../../lib/errors';

/**
 * "Merge into…" on a customer (supervisors, admins): pick the customer that stays; this one's
 * tickets and portal accounts move there and it is kept as a merged record.
 */
export function MergeCustomerButton({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const onError = useApiErrorHandler();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const [intoId, setIntoId] = useState<string>();
  // Asked for once the dialog opens: the button alone needs no list (issue 10: one call less).
  const found = useCustomers({ q: q.trim() || undefined }, open);
  const merge = useMergeCustomer();
  if (!can('customers.merge') || customer.mergedInto) return null;

  const options = (found.data?.pages.flatMap((p) => p.data) ?? [])
    .filter((c) => c.id !== customer.id)
    .map((c) => ({
      value: c.id,
      label: [c.name, c.phone, c.email].filter(Boolean).join(' · '),
    }));

  return (
    <>
      <Button
        size="small"
        icon={<MergeCellsOutlined />}
        onClick={() => setOpen(true)}
        data-testid="customer-merge"
      >
        {t('customers.merge.action')}
      </Button>
      <Modal
        open={open}
        title={t('customers.merge.title', { name: customer.name })}
        okText={t('customers.merge.ok')}
        okButtonProps={{ disabled: !intoId, danger: true, loading: merge.isPending }}
        onCancel={() => setOpen(false)}
        onOk={() =>
          intoId &&
          merge.mutate(
            { id: customer.id, intoId },
            {
              onSuccess: (res) => {
                setOpen(false);
                void message.success(
                  t('customers.merge.done', { name: res.data.name, count: res.moved.tickets }),
                );
              },
              onError: (error) => onError(error),
            },
          )
        }
      >
        <Typography.Paragraph type="secondary">{t('customers.merge.help')}</Typography.Paragraph>
        <Select
          showSearch
          filterOption={false}
          onSearch={setQ}
          value={intoId}
          onChange={setIntoId}
          options={options}
          placeholder={t('customers.merge.pick')}
          style={{ width: '100%' }}
          loading={found.isFetching}
          data-testid="customer-merge-into"
        />
      </Modal>
    </>
  );
}
