import { useEffect } from 'react';
import { App, Button, Card, Flex, Form, Input, InputNumber, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  KPI_KEYS,
  KPI_META,
  useKpiTargets,
  useKpiTargetVersions,
  useSaveKpiTargets,
  type KpiKey,
  type KpiTargets,
} from '../../api/kpi';
import { useAbilities } from '../../api/auth';
import { useApiErrorHandler } from '../../lib/errors';
import { useFormatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/usePageTitle';
import { Forbidden } from '../errors/Forbidden';
import { QueryError } from '../errors/QueryError';

interface FormValues {
  targets: KpiTargets;
  reason: string;
}

/** Administrators: KPI targets and warning floors; each save is a new version. */
export function KpiTargetsPage() {
  const { t } = useTranslation();
  usePageTitle(t('kpi.targets.title'));
  const can = useAbilities();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const formatDate = useFormatDateTime();
  const current = useKpiTargets();
  const versions = useKpiTargetVersions();
  const save = useSaveKpiTargets();
  const [form] = Form.useForm<FormValues>();

  useEffect(() => {
    if (current.data) form.setFieldsValue({ targets: current.data.targets, reason: '' });
  }, [current.data, form]);

  if (!can('kpi.targets.write')) return <Forbidden />;
  if (current.error)
    return <QueryError error={current.error} onRetry={() => void current.refetch()} />;

  const unitOf = (k: KpiKey) => t(`kpi.units.${KPI_META[k].unit}`);
  const submit = (v: FormValues) =>
    save.mutate(
      { targets: v.targets, reason: v.reason, baseVersion: current.data?.version },
      {
        onSuccess: (saved) => {
          void message.success(t('kpi.targets.saved', { version: saved.version }));
          form.setFieldValue('reason', '');
        },
        onError: (e) => onError(e, form),
      },
    );
  const number = (k: KpiKey, field: 'target' | 'floor') => (
    <Form.Item name={['targets', k, field]} noStyle>
      <InputNumber
        min={0}
        max={KPI_META[k].unit === 'ms' ? undefined : 100}
        style={{ width: 120 }}
        placeholder={t('kpi.targets.none')}
        addonAfter={unitOf(k)}
        data-testid={`kpi-${field}-${k}`}
      />
    </Form.Item>
  );

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('kpi.targets.title')}
      </Typography.Title>
      <Card
        title={t('kpi.targets.current', { version: current.data?.version ?? '…' })}
        loading={current.isPending}
      >
        <Typography.Paragraph type="secondary">{t('kpi.targets.explain')}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={submit}>
          <Table
            rowKey={(k) => k}
            size="small"
            pagination={false}
            dataSource={[...KPI_KEYS]}
            columns={[
              { title: t('kpi.kpi'), key: 'kpi', render: (_, k) => t(`kpi.kpis.${k}`) },
              {
                title: t('kpi.targets.direction'),
                key: 'dir',
                render: (_, k) => t(`kpi.direction.${KPI_META[k].direction}`),
              },
              {
                title: t('kpi.targets.target'),
                key: 'target',
                render: (_, k) => number(k, 'target'),
              },
              { title: t('kpi.targets.floor'), key: 'floor', render: (_, k) => number(k, 'floor') },
            ]}
          />
          <Form.Item
            name="reason"
            label={t('kpi.targets.reason')}
            style={{ marginTop: 16 }}
            rules={[{ required: true, whitespace: true, message: t('kpi.targets.reasonRequired') }]}
          >
            <Input maxLength={1000} data-testid="kpi-targets-reason" />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={save.isPending}
            data-testid="kpi-targets-save"
          >
            {t('kpi.targets.save')}
          </Button>
        </Form>
      </Card>
      <Card title={t('kpi.targets.versions')}>
        <Table
          rowKey="version"
          size="small"
          loading={versions.isPending}
          dataSource={versions.data ?? []}
          pagination={false}
          columns={[
            { title: t('kpi.targets.version'), dataIndex: 'version', width: 90 },
            { title: t('kpi.targets.reason'), dataIndex: 'reason' },
            {
              title: t('kpi.targets.by'),
              key: 'by',
              render: (_, v) => v.createdBy?.name ?? t('kpi.targets.system'),
            },
            { title: t('kpi.targets.at'), key: 'at', render: (_, v) => formatDate(v.createdAt) },
          ]}
        />
      </Card>
    </Flex>
  );
}
