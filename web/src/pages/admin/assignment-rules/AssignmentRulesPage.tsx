import { useState } from 'react';
import { Button, Card, Flex, Popconfirm, Space, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../../api/auth';
import {
  useAssignmentRules,
  useDeleteAssignmentRule,
  useReorderAssignmentRules,
  useSaveAssignmentRule,
  type AssignmentRule,
} from '../../../api/ticketAdmin';
import { useApiErrorHandler } from '../../../lib/errors';
import { useTicketLabels } from '../../../lib/ticketLabels';
import { usePageTitle } from '../../../lib/usePageTitle';
import { Forbidden } from '../../errors/Forbidden';
import { QueryError, isForbidden } from '../../errors/QueryError';
import { AssignmentRuleModal } from './AssignmentRuleModal';

/** The ordered list of assignment rules for L2 tickets: first match wins (SPEC 2). */
export function AssignmentRulesPage() {
  const { t } = useTranslation();
  usePageTitle(t('ticketAdmin.rules.title'));
  const can = useAbilities();
  const rules = useAssignmentRules();
  const save = useSaveAssignmentRule();
  const reorder = useReorderAssignmentRules();
  const remove = useDeleteAssignmentRule();
  const onError = useApiErrorHandler();
  const labels = useTicketLabels();
  const [editing, setEditing] = useState<AssignmentRule | null | undefined>(undefined);
  const manage = can('assignmentRules.manage');

  if (isForbidden(rules.error) || !can('assignmentRules.list')) return <Forbidden />;
  const list = rules.data ?? [];

  const move = (index: number, by: -1 | 1) => {
    const ids = list.map((r) => r.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id!);
    reorder.mutate(ids, { onError: (e) => onError(e) });
  };

  const tags = (values: string[], label: (v: string) => string) =>
    values.map((v) => <Tag key={v}>{label(v)}</Tag>);

  const conditions = (r: AssignmentRule) => {
    const parts = [
      ...tags(r.categories, labels.category),
      ...tags(r.channels, labels.channel),
      ...tags(r.customerTiers, (v) => t(`ticketAdmin.customerTiers.${v}`)),
      ...tags(r.keywords, (v) => `“${v}”`),
    ];
    return parts.length ? (
      <Space size={[0, 4]} wrap>
        {parts}
      </Space>
    ) : (
      t('ticketAdmin.rules.any')
    );
  };

  const columns: TableColumnsType<AssignmentRule> = [
    { title: '#', key: 'order', width: 48, render: (_, __, i) => i + 1 },
    { title: t('ticketAdmin.rules.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('ticketAdmin.rules.conditions'),
      key: 'conditions',
      render: (_, r) => conditions(r),
    },
    { title: t('ticketAdmin.rules.team'), key: 'team', render: (_, r) => r.team.name },
    {
      title: t('ticketAdmin.rules.strategy'),
      key: 'strategy',
      render: (_, r) => t(`ticketAdmin.strategies.${r.strategy}`),
    },
    {
      title: t('ticketAdmin.rules.active'),
      key: 'active',
      render: (_, r) => (
        <Switch
          size="small"
          checked={r.active}
          disabled={!manage}
          onChange={(active) => save.mutate({ id: r.id, active }, { onError: (e) => onError(e) })}
          aria-label={t('ticketAdmin.rules.active')}
        />
      ),
    },
  ];
  if (manage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 220,
      render: (_, r, i) => (
        <Space size={0}>
          <Button
            type="text"
            size="small"
            icon={<ArrowUpOutlined />}
            disabled={i === 0 || reorder.isPending}
            onClick={() => move(i, -1)}
            aria-label={t('ticketAdmin.rules.moveUp')}
            data-testid="rule-up"
          />
          <Button
            type="text"
            size="small"
            icon={<ArrowDownOutlined />}
            disabled={i === list.length - 1 || reorder.isPending}
            onClick={() => move(i, 1)}
            aria-label={t('ticketAdmin.rules.moveDown')}
            data-testid="rule-down"
          />
          <Button type="link" size="small" onClick={() => setEditing(r)}>
            {t('common.edit')}
          </Button>
          <Popconfirm
            title={t('ticketAdmin.rules.deleteConfirm', { name: r.name })}
            okText={t('ticketAdmin.rules.delete')}
            cancelText={t('common.cancel')}
            onConfirm={() => remove.mutate(r.id, { onError: (e) => onError(e) })}
          >
            <Button type="link" size="small" danger>
              {t('ticketAdmin.rules.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    });
  }

  return (
    <Card>
      <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('ticketAdmin.rules.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('ticketAdmin.rules.intro')}</Typography.Text>
        </div>
        {manage && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing(null)}
            data-testid="create-rule"
          >
            {t('ticketAdmin.rules.create')}
          </Button>
        )}
      </Flex>
      {rules.isError && <QueryError error={rules.error} onRetry={() => void rules.refetch()} />}
      <Table<AssignmentRule>
        rowKey="id"
        columns={columns}
        dataSource={list}
        loading={rules.isPending}
        pagination={false}
        data-testid="rules-table"
      />
      {editing !== undefined && (
        <AssignmentRuleModal rule={editing ?? undefined} onClose={() => setEditing(undefined)} />
      )}
    </Card>
  );
}
