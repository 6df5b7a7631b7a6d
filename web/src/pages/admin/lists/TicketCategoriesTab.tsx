import { useState } from 'react';
import {
  App,
  Button,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  useAdminTicketCategories,
  useCreateTicketCategory,
  useUpdateTicketCategory,
  type AdminTicketCategory,
} from '../../../api/adminLists';
import { TIERS } from '../../../api/ticketTypes';
import { useApiErrorHandler } from '../../../lib/errors';
import { TIER_COLORS, useTicketLabels } from '../../../lib/ticketLabels';
import { QueryError } from '../../errors/QueryError';

/** Ticket categories: zh/en labels, the default tier a new ticket gets, order, active. */
export function TicketCategoriesTab() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const labels = useTicketLabels();
  const list = useAdminTicketCategories();
  const create = useCreateTicketCategory();
  const update = useUpdateTicketCategory();
  const onError = useApiErrorHandler();
  const [form] = Form.useForm<AdminTicketCategory>();
  const [editing, setEditing] = useState<AdminTicketCategory | null | undefined>(undefined);
  const zh = i18n.language.startsWith('zh');

  const submit = (v: AdminTicketCategory) => {
    const done = {
      onSuccess: () => {
        void message.success(t('adminLists.saved'));
        setEditing(undefined);
      },
      onError: (e: unknown) => onError(e, form),
    };
    if (editing) {
      const { key: _key, ...patch } = v;
      update.mutate({ key: editing.key, ...patch }, done);
    } else create.mutate(v, done);
  };

  const columns: TableColumnsType<AdminTicketCategory> = [
    {
      title: t('adminLists.tickets.label'),
      key: 'label',
      render: (_, c) => (
        <Flex vertical>
          <Typography.Text strong data-testid="ticket-category-label">
            {zh ? c.labelZh : c.labelEn}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {zh ? c.labelEn : c.labelZh} · {c.key}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('adminLists.tickets.defaultTier'),
      key: 'tier',
      width: 140,
      render: (_, c) => (
        <Tag color={TIER_COLORS[c.defaultTier]} data-testid="ticket-category-tier">
          {labels.tier(c.defaultTier)}
        </Tag>
      ),
    },
    {
      title: t('adminLists.tickets.order'),
      dataIndex: 'sortOrder',
      key: 'sortOrder',
      width: 80,
      responsive: ['sm'],
    },
    {
      title: t('adminLists.tickets.active'),
      key: 'active',
      width: 90,
      render: (_, c) => (
        <Switch
          size="small"
          checked={c.active}
          loading={update.isPending && update.variables?.key === c.key}
          onChange={(active) =>
            update.mutate({ key: c.key, active }, { onError: (e) => onError(e) })
          }
          aria-label={t('adminLists.tickets.active')}
        />
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 80,
      render: (_, c) => (
        <Button
          type="link"
          size="small"
          onClick={() => setEditing(c)}
          data-testid="ticket-category-edit"
        >
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <Flex justify="space-between" align="center" gap={8} wrap style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('adminLists.tickets.intro')}</Typography.Text>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing(null)}
          data-testid="ticket-category-create"
        >
          {t('adminLists.tickets.create')}
        </Button>
      </Flex>
      {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Table<AdminTicketCategory>
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isPending}
        pagination={false}
        scroll={{ x: 520 }}
        data-testid="ticket-categories-table"
      />
      <Modal
        open={editing !== undefined}
        title={editing ? t('adminLists.tickets.edit') : t('adminLists.tickets.create')}
        onCancel={() => setEditing(undefined)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending || update.isPending}
        destroyOnHidden
      >
        <Form<AdminTicketCategory>
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={submit}
          initialValues={
            editing ?? { key: '', labelZh: '', labelEn: '', defaultTier: 'L1', sortOrder: 100 }
          }
          data-testid="ticket-category-form"
        >
          <Form.Item
            name="key"
            label={t('adminLists.tickets.key')}
            extra={editing ? undefined : t('adminLists.tickets.keyHelp')}
            rules={[
              { required: true, message: t('validation.required') },
              { pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t('adminLists.tickets.keyHelp') },
            ]}
          >
            <Input disabled={Boolean(editing)} maxLength={40} />
          </Form.Item>
          <Flex gap={8} wrap>
            <Form.Item
              name="labelZh"
              label={t('adminLists.tickets.labelZh')}
              rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
              style={{ flex: '1 1 180px' }}
            >
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item
              name="labelEn"
              label={t('adminLists.tickets.labelEn')}
              rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
              style={{ flex: '1 1 180px' }}
            >
              <Input maxLength={50} />
            </Form.Item>
          </Flex>
          <Flex gap={8} wrap>
            <Form.Item
              name="defaultTier"
              label={t('adminLists.tickets.defaultTier')}
              extra={t('adminLists.tickets.tierHelp')}
              style={{ flex: '1 1 180px' }}
            >
              <Select
                options={TIERS.map((v) => ({ value: v, label: labels.tier(v) }))}
                data-testid="ticket-category-tier-select"
              />
            </Form.Item>
            <Form.Item
              name="sortOrder"
              label={t('adminLists.tickets.order')}
              style={{ flex: '0 1 120px' }}
            >
              <InputNumber min={0} max={10000} />
            </Form.Item>
          </Flex>
        </Form>
      </Modal>
    </>
  );
}
