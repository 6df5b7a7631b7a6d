import { useState } from 'react';
import { Button, Card, Flex, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../../api/auth';
import { useSaveTicketField, useTicketFields, type TicketField } from '../../../api/ticketAdmin';
import { useApiErrorHandler } from '../../../lib/errors';
import { useTicketLabels } from '../../../lib/ticketLabels';
import { usePageTitle } from '../../../lib/usePageTitle';
import { Forbidden } from '../../errors/Forbidden';
import { QueryError, isForbidden } from '../../errors/QueryError';
import { useFieldLabel } from '../../tickets/components/CustomFieldInputs';
import { TicketFieldModal } from './TicketFieldModal';

/** Custom ticket fields: typed, ordered, optionally limited to categories (administrators). */
export function TicketFieldsPage() {
  const { t } = useTranslation();
  usePageTitle(t('ticketAdmin.fields.title'));
  const can = useAbilities();
  const fields = useTicketFields();
  const save = useSaveTicketField();
  const onError = useApiErrorHandler();
  const label = useFieldLabel();
  const labels = useTicketLabels();
  // undefined: closed; null: creating; a field: editing.
  const [editing, setEditing] = useState<TicketField | null | undefined>(undefined);
  const manage = can('ticketFields.manage');

  if (isForbidden(fields.error) || !can('ticketFields.list')) return <Forbidden />;

  const columns: TableColumnsType<TicketField> = [
    { title: t('ticketAdmin.fields.key'), dataIndex: 'key', key: 'key' },
    { title: t('ticketAdmin.fields.label'), key: 'label', render: (_, f) => label(f) },
    {
      title: t('ticketAdmin.fields.type'),
      key: 'type',
      render: (_, f) => t(`ticketAdmin.types.${f.type}`),
    },
    {
      title: t('ticketAdmin.fields.categories'),
      key: 'categories',
      render: (_, f) =>
        f.categories.length
          ? f.categories.map((c) => <Tag key={c}>{labels.category(c)}</Tag>)
          : t('ticketAdmin.fields.allCategories'),
    },
    {
      title: t('ticketAdmin.fields.required'),
      key: 'required',
      render: (_, f) => (f.required ? t('ticketAdmin.values.yes') : t('ticketAdmin.values.no')),
    },
    {
      title: t('ticketAdmin.fields.active'),
      key: 'active',
      render: (_, f) => (
        <Switch
          size="small"
          checked={f.active}
          disabled={!manage}
          loading={save.isPending && save.variables?.id === f.id}
          onChange={(active) => save.mutate({ id: f.id, active }, { onError: (e) => onError(e) })}
          aria-label={t('ticketAdmin.fields.active')}
        />
      ),
    },
  ];
  if (manage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, f) => (
        <Button type="link" size="small" onClick={() => setEditing(f)} data-testid="edit-field">
          {t('common.edit')}
        </Button>
      ),
    });
  }

  return (
    <Card>
      <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('ticketAdmin.fields.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('ticketAdmin.fields.intro')}</Typography.Text>
        </div>
        {manage && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing(null)}
            data-testid="create-field"
          >
            {t('ticketAdmin.fields.create')}
          </Button>
        )}
      </Flex>
      {fields.isError && <QueryError error={fields.error} onRetry={() => void fields.refetch()} />}
      <Table<TicketField>
        rowKey="id"
        columns={columns}
        dataSource={fields.data ?? []}
        loading={fields.isPending}
        pagination={false}
        data-testid="fields-table"
      />
      {editing !== undefined && (
        <TicketFieldModal field={editing ?? undefined} onClose={() => setEditing(undefined)} />
      )}
    </Card>
  );
}
