import { useEffect } from 'react';
import {
  App,
  Button,
  Card,
  Checkbox,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../api/auth';
import {
  useQaScorecards,
  useQaSettings,
  useSaveQaSettings,
  useSaveScorecard,
  type Criterion,
  type QaSettings,
} from '../../api/qa';
import { useApiErrorHandler } from '../../lib/errors';
import { useFormatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/usePageTitle';
import { Forbidden } from '../errors/Forbidden';
import { QueryError } from '../errors/QueryError';

/** The settings fields with their bounds (the server's settingsBody) and step. */
const FIELDS: { key: keyof QaSettings; min: number; max: number; step?: number }[] = [
  { key: 'samplePercent', min: 0.1, max: 100, step: 0.5 },
  { key: 'minPerAgent', min: 0, max: 100 },
  { key: 'samplingHour', min: 0, max: 23 },
  { key: 'appealWorkingDays', min: 1, max: 30 },
  { key: 'lowCsatBelow', min: 1, max: 100 },
  { key: 'failRatio', min: 0.05, max: 1, step: 0.05 },
  { key: 'trainingFailures', min: 1, max: 50 },
  { key: 'trainingWeeks', min: 1, max: 52 },
];

interface ScorecardForm {
  criteria: Criterion[];
  reason: string;
}

/** Administrators: the QA settings and the scorecard templates (each save is a new version). */
export function QaAdminPage() {
  const { t } = useTranslation();
  usePageTitle(t('qa.admin.title'));
  const can = useAbilities();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const formatDate = useFormatDateTime();
  const settings = useQaSettings();
  const scorecards = useQaScorecards();
  const saveSettings = useSaveQaSettings();
  const saveScorecard = useSaveScorecard();
  const [settingsForm] = Form.useForm<QaSettings>();
  const [cardForm] = Form.useForm<ScorecardForm>();
  const current = scorecards.data?.[0];

  useEffect(() => {
    if (settings.data) settingsForm.setFieldsValue(settings.data);
  }, [settings.data, settingsForm]);
  useEffect(() => {
    if (current) cardForm.setFieldsValue({ criteria: current.criteria, reason: '' });
  }, [current, cardForm]);

  if (!can('qa.settings.write')) return <Forbidden />;
  if (settings.error)
    return <QueryError error={settings.error} onRetry={() => void settings.refetch()} />;

  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((d) => ({
    value: d,
    label: t(`qa.admin.weekdays.${d}`),
  }));

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('qa.admin.title')}
      </Typography.Title>
      <Card title={t('qa.admin.settings')} loading={settings.isPending}>
        <Form
          form={settingsForm}
          layout="vertical"
          onFinish={(v) =>
            saveSettings.mutate(v, {
              onSuccess: () => void message.success(t('qa.admin.settingsSaved')),
              onError: (e) => onError(e, settingsForm),
            })
          }
        >
          <Flex wrap gap={16}>
            <Form.Item name="samplingWeekday" label={t('qa.admin.fields.samplingWeekday')}>
              <Select options={weekdays} style={{ width: 160 }} data-testid="qa-admin-weekday" />
            </Form.Item>
            {FIELDS.map((f) => (
              <Form.Item
                key={f.key}
                name={f.key}
                label={t(`qa.admin.fields.${f.key}`)}
                tooltip={t(`qa.admin.help.${f.key}`)}
                rules={[{ required: true }]}
              >
                <InputNumber
                  min={f.min}
                  max={f.max}
                  step={f.step ?? 1}
                  style={{ width: 160 }}
                  data-testid={`qa-admin-${f.key}`}
                />
              </Form.Item>
            ))}
          </Flex>
          <Button
            type="primary"
            htmlType="submit"
            loading={saveSettings.isPending}
            data-testid="qa-admin-settings-save"
          >
            {t('qa.admin.save')}
          </Button>
        </Form>
      </Card>

      <Card
        title={t('qa.admin.scorecard', { version: current?.version ?? '…' })}
        loading={scorecards.isPending}
      >
        <Typography.Paragraph type="secondary">
          {t('qa.admin.scorecardExplain')}
        </Typography.Paragraph>
        <Form
          form={cardForm}
          layout="vertical"
          onFinish={(v) =>
            saveScorecard.mutate(
              {
                criteria: v.criteria.map((c) => ({
                  ...c,
                  weight: c.weight ?? 0,
                  critical: !!c.critical,
                  ...(c.labelEn ? { labelEn: c.labelEn } : { labelEn: undefined }),
                })),
                reason: v.reason,
                ...(current ? { baseVersion: current.version } : {}),
              },
              {
                onSuccess: (saved) => {
                  void message.success(t('qa.admin.scorecardSaved', { version: saved.version }));
                  cardForm.setFieldValue('reason', '');
                },
                onError: (e) => onError(e, cardForm),
              },
            )
          }
        >
          <Form.List name="criteria">
            {(fields, { add, remove }) => (
              <Flex vertical gap={8}>
                {fields.map((field) => (
                  <Space
                    key={field.key}
                    wrap
                    align="start"
                    data-testid={`qa-admin-criterion-${field.name}`}
                  >
                    <Form.Item
                      name={[field.name, 'key']}
                      rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{0,39}$/ }]}
                      noStyle
                    >
                      <Input
                        placeholder={t('qa.admin.criterion.key')}
                        style={{ width: 130 }}
                        data-testid={`qa-admin-key-${field.name}`}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'label']} rules={[{ required: true }]} noStyle>
                      <Input
                        placeholder={t('qa.admin.criterion.label')}
                        style={{ width: 180 }}
                        data-testid={`qa-admin-label-${field.name}`}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'labelEn']} noStyle>
                      <Input placeholder={t('qa.admin.criterion.labelEn')} style={{ width: 180 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'weight']} noStyle>
                      <InputNumber
                        min={0}
                        max={100}
                        addonBefore={t('qa.admin.criterion.weight')}
                        style={{ width: 150 }}
                        data-testid={`qa-admin-weight-${field.name}`}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'scale']} rules={[{ required: true }]} noStyle>
                      <InputNumber
                        min={1}
                        max={10}
                        addonBefore={t('qa.admin.criterion.scale')}
                        style={{ width: 140 }}
                        data-testid={`qa-admin-scale-${field.name}`}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'critical']} valuePropName="checked" noStyle>
                      <Checkbox data-testid={`qa-admin-critical-${field.name}`}>
                        {t('qa.admin.criterion.critical')}
                      </Checkbox>
                    </Form.Item>
                    <Button
                      icon={<DeleteOutlined />}
                      aria-label={t('qa.admin.criterion.remove')}
                      onClick={() => remove(field.name)}
                    />
                  </Space>
                ))}
                <Button
                  icon={<PlusOutlined />}
                  onClick={() => add({ key: '', label: '', weight: 10, scale: 5, critical: false })}
                  style={{ alignSelf: 'flex-start' }}
                  data-testid="qa-admin-add-criterion"
                >
                  {t('qa.admin.criterion.add')}
                </Button>
              </Flex>
            )}
          </Form.List>
          <Form.Item
            name="reason"
            label={t('qa.admin.reason')}
            style={{ marginTop: 16 }}
            rules={[{ required: true, whitespace: true, message: t('qa.admin.reasonRequired') }]}
          >
            <Input maxLength={1000} data-testid="qa-admin-reason" />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={saveScorecard.isPending}
            data-testid="qa-admin-scorecard-save"
          >
            {t('qa.admin.saveVersion')}
          </Button>
        </Form>
      </Card>

      <Card title={t('qa.admin.versions')}>
        <Table
          rowKey="version"
          size="small"
          loading={scorecards.isPending}
          dataSource={scorecards.data ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: t('qa.admin.noVersions') }}
          scroll={{ x: true }}
          data-testid="qa-admin-versions"
          columns={[
            { title: t('qa.admin.version'), dataIndex: 'version', width: 80 },
            {
              title: t('qa.admin.criteria'),
              key: 'criteria',
              render: (_, v) => (
                <Flex wrap gap={4}>
                  {v.criteria.map((c) => (
                    <Tag key={c.key} color={c.critical ? 'red' : undefined}>
                      {c.label} {c.critical ? t('qa.admin.failAll') : `${c.weight} · 0–${c.scale}`}
                    </Tag>
                  ))}
                </Flex>
              ),
            },
            { title: t('qa.admin.reason'), dataIndex: 'reason' },
            {
              title: t('qa.admin.by'),
              key: 'by',
              render: (_, v) => v.createdBy?.name ?? t('qa.admin.system'),
            },
            { title: t('qa.admin.at'), key: 'at', render: (_, v) => formatDate(v.createdAt) },
          ]}
        />
      </Card>
    </Flex>
  );
}
