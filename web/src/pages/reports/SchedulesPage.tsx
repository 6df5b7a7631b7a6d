import { useEffect, useState } from 'react';
import {
  App,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Result,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAbilities } from '../../api/auth';
import {
  useDeleteReportSchedule,
  useReportSchedules,
  useReportSettings,
  useSaveReportSchedule,
  useSaveReportSettings,
  type ReportSchedule,
  type ScheduleInput,
} from '../../api/reports';
import { useApiErrorHandler } from '../../lib/errors';
import { usePageTitle } from '../../lib/usePageTitle';
import { QueryError } from '../errors/QueryError';

/** The report settings (the repeat-problem window). */
function SettingsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const q = useReportSettings();
  const save = useSaveReportSettings();
  const onError = useApiErrorHandler();
  const [form] = Form.useForm<{ repeatWindowDays: number }>();
  useEffect(() => {
    if (q.data) form.setFieldsValue(q.data);
  }, [q.data, form]);
  return (
    <Card size="small" title={t('reports.settings.title')}>
      <Form
        form={form}
        layout="vertical"
        style={{ maxWidth: 560 }}
        onFinish={(v) =>
          save.mutate(v, {
            onSuccess: () => void message.success(t('reports.settings.saved')),
            onError: (e) => onError(e, form),
          })
        }
      >
        <Form.Item
          name="repeatWindowDays"
          label={t('reports.settings.repeatWindowDays')}
          rules={[{ required: true }, { type: 'number', min: 1, max: 365 }]}
          extra={t('reports.settings.repeatWindowHelp')}
        >
          <InputNumber
            min={1}
            max={365}
            addonAfter={t('reports.settings.days')}
            data-testid="reports-settings-window"
          />
        </Form.Item>
        <Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={save.isPending}
            data-testid="reports-settings-save"
          >
            {t('reports.schedules.save')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

/** Scheduled reports: the service report of the last month or quarter, mailed as a PDF. */
export function SchedulesPage() {
  const { t } = useTranslation();
  usePageTitle(t('reports.schedules.title'));
  const can = useAbilities();
  const q = useReportSchedules();
  const saveM = useSaveReportSchedule();
  const del = useDeleteReportSchedule();
  const onError = useApiErrorHandler();
  const [editing, setEditing] = useState<ReportSchedule | 'new' | null>(null);
  const [form] = Form.useForm<ScheduleInput>();

  useEffect(() => {
    if (editing === 'new')
      form.setFieldsValue({
        name: '',
        period: 'month',
        recipients: [],
        locale: 'zh-CN',
        enabled: true,
      });
    else if (editing) form.setFieldsValue(editing);
  }, [editing, form]);

  if (!can('reports.admin')) return <Result status="403" title={t('errors.codes.forbidden')} />;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('reports.schedules.title')}
        </Typography.Title>
        <Link to="/reports">{t('reports.print.back')}</Link>
      </Flex>
      <SettingsCard />
      <Card
        size="small"
        title={t('reports.schedules.list')}
        extra={
          <Button
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="reports-schedule-new"
          >
            {t('reports.schedules.new')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('reports.schedules.help')}</Typography.Paragraph>
        {q.isError ? (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <Table
            size="small"
            rowKey="id"
            loading={q.isLoading}
            dataSource={q.data ?? []}
            data-testid="reports-schedules"
            scroll={{ x: 700 }}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: <Empty description={t('reports.schedules.empty')} /> }}
            columns={[
              { title: t('reports.schedules.name'), dataIndex: 'name', key: 'name' },
              {
                title: t('reports.schedules.period'),
                key: 'period',
                render: (_, r) => t(`reports.print.${r.period}`),
              },
              {
                title: t('reports.schedules.recipients'),
                key: 'recipients',
                render: (_, r) => r.recipients.map((x) => <Tag key={x}>{x}</Tag>),
              },
              {
                title: t('reports.schedules.locale'),
                key: 'locale',
                render: (_, r) => t(`language.${r.locale}`, r.locale),
              },
              {
                title: t('reports.schedules.enabled'),
                key: 'enabled',
                render: (_, r) =>
                  r.enabled ? t('reports.schedules.on') : t('reports.schedules.off'),
              },
              {
                title: t('reports.schedules.last'),
                key: 'last',
                render: (_, r) =>
                  r.lastPeriod
                    ? `${r.lastPeriod} · ${dayjs(r.lastSentAt).format('YYYY-MM-DD HH:mm')}`
                    : '—',
              },
              {
                title: '',
                key: 'actions',
                render: (_, r) => (
                  <Space>
                    <Button size="small" onClick={() => setEditing(r)}>
                      {t('reports.schedules.edit')}
                    </Button>
                    <Popconfirm
                      title={t('reports.schedules.confirmDelete')}
                      onConfirm={() => del.mutate(r.id, { onError: (e) => onError(e) })}
                    >
                      <Button size="small" danger>
                        {t('reports.schedules.delete')}
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('reports.schedules.new') : t('reports.schedules.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={t('reports.schedules.save')}
        confirmLoading={saveM.isPending}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) =>
            saveM.mutate(
              { ...v, ...(editing && editing !== 'new' ? { id: editing.id } : {}) },
              { onSuccess: () => setEditing(null), onError: (e) => onError(e, form) },
            )
          }
        >
          <Form.Item
            name="name"
            label={t('reports.schedules.name')}
            rules={[{ required: true, max: 120 }]}
          >
            <Input data-testid="reports-schedule-name" />
          </Form.Item>
          <Form.Item
            name="period"
            label={t('reports.schedules.period')}
            rules={[{ required: true }]}
          >
            <Select
              options={[
                { value: 'month', label: t('reports.print.month') },
                { value: 'quarter', label: t('reports.print.quarter') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="recipients"
            label={t('reports.schedules.recipients')}
            rules={[
              { required: true, type: 'array', min: 1, max: 50 },
              {
                type: 'array',
                defaultField: { type: 'email', message: t('reports.schedules.badEmail') },
              },
            ]}
          >
            <Select
              mode="tags"
              tokenSeparators={[',', ' ', ';']}
              open={false}
              data-testid="reports-schedule-recipients"
            />
          </Form.Item>
          <Form.Item name="locale" label={t('reports.schedules.locale')}>
            <Select
              options={[
                { value: 'zh-CN', label: '简体中文' },
                { value: 'en-US', label: 'English' },
              ]}
            />
          </Form.Item>
          <Form.Item name="enabled" label={t('reports.schedules.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
