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
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../../api/auth';
import {
  useCreateKbCategory,
  useReorderKbCategories,
  useUpdateKbCategory,
  type KbCategoryInput,
} from '../../../api/adminLists';
import { useKbCategories, type KbCategory } from '../../../api/kb';
import { useApiErrorHandler } from '../../../lib/errors';
import { QueryError } from '../../errors/QueryError';

const STEP_ROLES = ['knowledge_editor', 'supervisor', 'reviewer', 'qa_inspector', 'admin'];
const DEFAULT_ROLES: [string, string, string] = ['knowledge_editor', 'supervisor', 'reviewer'];

interface Values {
  name: string;
  description: string;
  parentId: string | null;
  reviewIntervalMonths: number;
  step1: string;
  step2: string;
  step3: string;
}

/**
 * Knowledge-base categories: create, rename, reorder, archive, and each one's review roles
 * (初审/复审/终审, administrators only) and scheduled-review interval.
 */
export function KbCategoriesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const isAdmin = me?.user.roles.includes('admin') ?? false;
  const categories = useKbCategories();
  const create = useCreateKbCategory();
  const update = useUpdateKbCategory();
  const reorder = useReorderKbCategories();
  const onError = useApiErrorHandler();
  const [form] = Form.useForm<Values>();
  // undefined: closed; null: creating; a category: editing.
  const [editing, setEditing] = useState<KbCategory | null | undefined>(undefined);
  const rows = categories.data ?? [];
  const nameOf = (id: string | null) => rows.find((c) => c.id === id)?.name ?? '';
  const roleLabel = (r: string) => t(`roles.${r}`);

  const move = (index: number, by: -1 | 1) => {
    const ids = rows.map((c) => c.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id!);
    reorder.mutate(ids, { onError: (e) => onError(e) });
  };

  const setArchived = (c: KbCategory, archived: boolean) =>
    update.mutate(
      { id: c.id, archived },
      {
        onSuccess: () =>
          void message.success(
            t(archived ? 'adminLists.kb.archived' : 'adminLists.kb.restored', { name: c.name }),
          ),
        onError: (e) => onError(e),
      },
    );

  const submit = (v: Values) => {
    const body: KbCategoryInput = {
      name: v.name,
      description: v.description ?? '',
      parentId: v.parentId ?? null,
      reviewIntervalMonths: v.reviewIntervalMonths,
    };
    if (isAdmin) body.reviewRoles = [v.step1, v.step2, v.step3];
    const done = {
      onSuccess: () => {
        void message.success(t('adminLists.saved'));
        setEditing(undefined);
      },
      onError: (e: unknown) => onError(e, form),
    };
    if (editing) update.mutate({ id: editing.id, ...body }, done);
    else create.mutate(body, done);
  };

  const columns: TableColumnsType<KbCategory> = [
    {
      title: t('adminLists.kb.name'),
      key: 'name',
      render: (_, c) => (
        <Space size={4} wrap>
          <Typography.Text strong={!c.parentId} data-testid="kb-category-name">
            {c.parentId ? `${nameOf(c.parentId)} / ${c.name}` : c.name}
          </Typography.Text>
          {c.archived && <Tag>{t('adminLists.kb.archivedTag')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('adminLists.kb.reviewRoles'),
      key: 'roles',
      responsive: ['md'],
      render: (_, c) => c.reviewRoles.map(roleLabel).join(' → '),
    },
    {
      title: t('adminLists.kb.interval'),
      key: 'interval',
      width: 110,
      responsive: ['sm'],
      render: (_, c) => t('adminLists.kb.months', { count: c.reviewIntervalMonths }),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 220,
      render: (_, c, index) => (
        <Space size={0} wrap>
          <Tooltip title={t('adminLists.moveUp')}>
            <Button
              type="text"
              size="small"
              icon={<ArrowUpOutlined />}
              disabled={index === 0 || reorder.isPending}
              onClick={() => move(index, -1)}
              aria-label={t('adminLists.moveUp')}
              data-testid="kb-category-up"
            />
          </Tooltip>
          <Tooltip title={t('adminLists.moveDown')}>
            <Button
              type="text"
              size="small"
              icon={<ArrowDownOutlined />}
              disabled={index === rows.length - 1 || reorder.isPending}
              onClick={() => move(index, 1)}
              aria-label={t('adminLists.moveDown')}
              data-testid="kb-category-down"
            />
          </Tooltip>
          <Button
            type="link"
            size="small"
            onClick={() => setEditing(c)}
            data-testid="kb-category-edit"
          >
            {t('common.edit')}
          </Button>
          <Button
            type="link"
            size="small"
            onClick={() => setArchived(c, !c.archived)}
            data-testid={c.archived ? 'kb-category-restore' : 'kb-category-archive'}
          >
            {c.archived ? t('adminLists.kb.restore') : t('adminLists.kb.archive')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <>
      <Flex justify="space-between" align="center" gap={8} wrap style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('adminLists.kb.intro')}</Typography.Text>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing(null)}
          data-testid="kb-category-create"
        >
          {t('adminLists.kb.create')}
        </Button>
      </Flex>
      {categories.isError && (
        <QueryError error={categories.error} onRetry={() => void categories.refetch()} />
      )}
      <Table<KbCategory>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={categories.isPending}
        pagination={false}
        locale={{ emptyText: t('adminLists.kb.empty') }}
        scroll={{ x: 520 }}
        data-testid="kb-categories-table"
      />
      <Modal
        open={editing !== undefined}
        title={editing ? t('adminLists.kb.edit') : t('adminLists.kb.create')}
        onCancel={() => setEditing(undefined)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending || update.isPending}
        destroyOnHidden
      >
        <Form<Values>
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={submit}
          initialValues={{
            name: editing?.name ?? '',
            description: editing?.description ?? '',
            parentId: editing?.parentId ?? null,
            reviewIntervalMonths: editing?.reviewIntervalMonths ?? 3,
            step1: (editing?.reviewRoles ?? DEFAULT_ROLES)[0],
            step2: (editing?.reviewRoles ?? DEFAULT_ROLES)[1],
            step3: (editing?.reviewRoles ?? DEFAULT_ROLES)[2],
          }}
          data-testid="kb-category-form"
        >
          <Form.Item
            name="name"
            label={t('adminLists.kb.name')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="description" label={t('fields.description')}>
            <Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} />
          </Form.Item>
          <Form.Item name="parentId" label={t('adminLists.kb.parent')}>
            <Select
              allowClear
              options={rows
                .filter((c) => c.id !== editing?.id && !c.archived)
                .map((c) => ({ value: c.id, label: c.name }))}
            />
          </Form.Item>
          <Form.Item
            name="reviewIntervalMonths"
            label={t('adminLists.kb.interval')}
            extra={t('adminLists.kb.intervalHelp')}
          >
            <InputNumber min={1} max={24} addonAfter={t('adminLists.kb.monthUnit')} />
          </Form.Item>
          <Typography.Text type="secondary">
            {isAdmin ? t('adminLists.kb.rolesHelp') : t('adminLists.kb.rolesAdminOnly')}
          </Typography.Text>
          <Flex gap={8} wrap style={{ marginTop: 8 }}>
            {(['step1', 'step2', 'step3'] as const).map((name, i) => (
              <Form.Item
                key={name}
                name={name}
                label={t(`adminLists.kb.step${i + 1}`)}
                style={{ flex: '1 1 140px' }}
              >
                <Select
                  disabled={!isAdmin}
                  options={STEP_ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
                  data-testid={`kb-category-${name}`}
                />
              </Form.Item>
            ))}
          </Flex>
        </Form>
      </Modal>
    </>
  );
}
