import { useEffect, useState } from 'react';
import {
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Select,
  Skeleton,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../../api/auth';
import {
  useCreateCampaign,
  useRunCampaign,
  useSaveSurveySettings,
  useSaveSurveyTemplate,
  useSurveyCampaigns,
  useSurveySettings,
  useSurveyTemplates,
  type SurveyCampaign,
  type SurveySettings,
  type SurveyTemplate,
} from '../../../api/surveys';
import { useApiErrorHandler } from '../../../lib/errors';
import { useFormatDateTime } from '../../../lib/format';
import { usePageTitle } from '../../../lib/usePageTitle';

/** `/admin/surveys` — survey settings, templates (versioned) and the monthly campaigns. */
export function SurveysAdminPage() {
  const { t } = useTranslation();
  usePageTitle(t('surveys.admin.title'));
  return (
    <Card title={t('surveys.admin.title')} data-testid="surveys-admin">
      <Tabs
        items={[
          { key: 'settings', label: t('surveys.admin.tabs.settings'), children: <SettingsTab /> },
          {
            key: 'templates',
            label: t('surveys.admin.tabs.templates'),
            children: <TemplatesTab />,
          },
          {
            key: 'campaigns',
            label: t('surveys.admin.tabs.campaigns'),
            children: <CampaignsTab />,
          },
        ]}
      />
    </Card>
  );
}

function SettingsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const settings = useSurveySettings();
  const templates = useSurveyTemplates();
  const save = useSaveSurveySettings();
  const onError = useApiErrorHandler();
  const [form] = Form.useForm<SurveySettings>();
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);
  if (settings.isPending) return <Skeleton active />;
  const editable = can('surveySettings.manage');
  return (
    <Form
      form={form}
      layout="vertical"
      disabled={!editable}
      style={{ maxWidth: 560 }}
      onFinish={(values) =>
        save.mutate(values, {
          onSuccess: () => void message.success(t('surveys.admin.saved')),
          onError: (e) => onError(e, form),
        })
      }
      data-testid="survey-settings-form"
    >
      <Form.Item name="enabled" label={t('surveys.settings.enabled')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="sendOn" label={t('surveys.settings.sendOn')}>
        <Select
          options={(['resolved', 'closed'] as const).map((v) => ({
            value: v,
            label: t(`surveys.settings.sendOnValue.${v}`),
          }))}
        />
      </Form.Item>
      <Form.Item name="delayMinutes" label={t('surveys.settings.delayMinutes')}>
        <InputNumber min={0} max={10080} />
      </Form.Item>
      <Form.Item name="channels" label={t('surveys.settings.channels')}>
        <Checkbox.Group
          options={(['email', 'sms'] as const).map((v) => ({
            value: v,
            label: t(`surveys.channel.${v}`),
          }))}
        />
      </Form.Item>
      <Form.Item name="templateId" label={t('surveys.settings.template')}>
        <Select
          options={(templates.data ?? [])
            .filter((tpl) => tpl.active)
            .map((tpl) => ({ value: tpl.id, label: `${tpl.name} (v${tpl.version})` }))}
        />
      </Form.Item>
      <Flex gap={16} wrap>
        <Form.Item name="linkDays" label={t('surveys.settings.linkDays')}>
          <InputNumber min={1} max={90} />
        </Form.Item>
        <Form.Item name="reminderAfterHours" label={t('surveys.settings.reminderAfterHours')}>
          <InputNumber min={0} max={720} />
        </Form.Item>
        <Form.Item name="lowScoreThreshold" label={t('surveys.settings.lowScoreThreshold')}>
          <InputNumber min={0} max={100} />
        </Form.Item>
        <Form.Item name="followUpDays" label={t('surveys.settings.followUpDays')}>
          <InputNumber min={1} max={60} />
        </Form.Item>
      </Flex>
      {editable && (
        <Button
          type="primary"
          htmlType="submit"
          loading={save.isPending}
          data-testid="survey-settings-save"
        >
          {t('common.save')}
        </Button>
      )}
    </Form>
  );
}

function TemplatesTab() {
  const { t, i18n } = useTranslation();
  const can = useAbilities();
  const templates = useSurveyTemplates();
  const [editing, setEditing] = useState<SurveyTemplate | 'new' | null>(null);
  const editable = can('surveyTemplates.manage');
  const en = i18n.language === 'en-US';
  return (
    <Flex vertical gap={12}>
      {editable && (
        <div>
          <Button
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="survey-template-new"
          >
            {t('surveys.templates.new')}
          </Button>
        </div>
      )}
      {(templates.data ?? []).map((tpl) => (
        <Card
          key={tpl.id}
          size="small"
          title={
            <Flex gap={8} align="center" wrap>
              {tpl.name}
              <Tag>v{tpl.version}</Tag>
              {tpl.isDefault && <Tag color="blue">{t('surveys.templates.default')}</Tag>}
              {!tpl.active && <Tag>{t('surveys.templates.inactive')}</Tag>}
            </Flex>
          }
          extra={
            editable && (
              <Button
                size="small"
                onClick={() => setEditing(tpl)}
                data-testid="survey-template-edit"
              >
                {t('common.edit')}
              </Button>
            )
          }
        >
          <ol style={{ margin: 0, paddingInlineStart: 20 }}>
            {tpl.questions.map((q) => (
              <li key={q.key}>
                {en ? q.en : q.zh} <Tag>{t(`surveys.questionType.${q.type}`)}</Tag>
                {q.overall && <Tag color="gold">{t('surveys.templates.overall')}</Tag>}
              </li>
            ))}
          </ol>
          {tpl.allowComment && (
            <Typography.Text type="secondary">{t('surveys.templates.withComment')}</Typography.Text>
          )}
        </Card>
      ))}
      {editing && (
        <TemplateModal
          template={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </Flex>
  );
}

function TemplateModal({
  template,
  onClose,
}: {
  template: SurveyTemplate | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const save = useSaveSurveyTemplate();
  const onError = useApiErrorHandler();
  const [form] =
    Form.useForm<Pick<SurveyTemplate, 'name' | 'questions' | 'allowComment' | 'active'>>();
  return (
    <Modal
      open
      width={720}
      title={template ? t('surveys.templates.edit') : t('surveys.templates.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'survey-template-save' } as never}
    >
      <Typography.Paragraph type="secondary">
        {t('surveys.templates.versionHint')}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={
          template ?? {
            name: '',
            allowComment: true,
            questions: [{ key: 'overall', type: 'rating5', zh: '', en: '', overall: true }],
          }
        }
        onFinish={(values) =>
          save.mutate(
            { ...values, ...(template && { id: template.id }) },
            { onSuccess: onClose, onError: (e) => onError(e, form) },
          )
        }
      >
        <Form.Item
          name="name"
          label={t('surveys.templates.name')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.List name="questions">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((field) => (
                <Card key={field.key} size="small">
                  <Flex gap={8} wrap>
                    <Form.Item
                      name={[field.name, 'key']}
                      label={t('surveys.templates.key')}
                      rules={[{ required: true }]}
                    >
                      <Input style={{ width: 110 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'type']} label={t('surveys.templates.type')}>
                      <Select
                        style={{ width: 150 }}
                        options={(['solved', 'rating5', 'score100'] as const).map((v) => ({
                          value: v,
                          label: t(`surveys.questionType.${v}`),
                        }))}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'overall']}
                      label={t('surveys.templates.overall')}
                      valuePropName="checked"
                    >
                      <Switch size="small" />
                    </Form.Item>
                    <Button
                      danger
                      size="small"
                      style={{ alignSelf: 'center' }}
                      onClick={() => remove(field.name)}
                      disabled={fields.length <= 1}
                    >
                      {t('surveys.templates.remove')}
                    </Button>
                  </Flex>
                  <Form.Item
                    name={[field.name, 'zh']}
                    label={t('surveys.templates.textZh')}
                    rules={[{ required: true, whitespace: true }]}
                  >
                    <Input maxLength={200} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'en']}
                    label={t('surveys.templates.textEn')}
                    rules={[{ required: true, whitespace: true }]}
                  >
                    <Input maxLength={200} />
                  </Form.Item>
                </Card>
              ))}
              {fields.length < 3 && (
                <Button
                  icon={<PlusOutlined />}
                  onClick={() =>
                    add({ key: `q${fields.length + 1}`, type: 'rating5', zh: '', en: '' })
                  }
                >
                  {t('surveys.templates.addQuestion')}
                </Button>
              )}
            </Flex>
          )}
        </Form.List>
        <Form.Item
          name="allowComment"
          label={t('surveys.templates.allowComment')}
          valuePropName="checked"
          style={{ marginTop: 12 }}
        >
          <Switch />
        </Form.Item>
        {template && (
          <Form.Item name="active" label={t('surveys.templates.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function CampaignsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const formatDate = useFormatDateTime();
  const campaigns = useSurveyCampaigns();
  const create = useCreateCampaign();
  const run = useRunCampaign();
  const onError = useApiErrorHandler();
  const [month, setMonth] = useState<Dayjs | null>(null);
  const editable = can('surveyCampaigns.manage');
  const start = () => {
    if (!month) return;
    create.mutate(
      { month: month.format('YYYY-MM') },
      {
        onSuccess: (res) =>
          run.mutate(res.data.id, {
            onSuccess: (r) =>
              void message.success(t('surveys.campaigns.sent', { count: r.data.sent })),
            onError: (e) => onError(e),
          }),
        onError: (e) => onError(e),
      },
    );
  };
  return (
    <Flex vertical gap={16}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('surveys.campaigns.hint')}
      </Typography.Paragraph>
      {editable && (
        <Flex gap={8} wrap>
          <DatePicker
            picker="month"
            value={month}
            onChange={setMonth}
            data-testid="campaign-month"
          />
          <Button
            type="primary"
            disabled={!month}
            loading={create.isPending || run.isPending}
            onClick={start}
            data-testid="campaign-create"
          >
            {t('surveys.campaigns.createAndRun')}
          </Button>
        </Flex>
      )}
      <Table<SurveyCampaign>
        rowKey="id"
        size="small"
        loading={campaigns.isPending}
        pagination={false}
        dataSource={campaigns.data ?? []}
        scroll={{ x: 720 }}
        data-testid="campaign-table"
        columns={[
          { key: 'month', title: t('surveys.campaigns.month'), dataIndex: 'month' },
          { key: 'sent', title: t('surveys.campaigns.sentCount'), dataIndex: 'sent' },
          { key: 'answered', title: t('surveys.campaigns.answered'), dataIndex: 'answered' },
          {
            key: 'rate',
            title: t('surveys.campaigns.responseRate'),
            render: (_, c) => (
              <Progress percent={c.responseRate} size="small" style={{ width: 140 }} />
            ),
          },
          {
            key: 'avg',
            title: t('surveys.campaigns.averageScore'),
            render: (_, c) => (c.averageScore === null ? '—' : c.averageScore),
          },
          { key: 'skipped', title: t('surveys.campaigns.skipped'), dataIndex: 'skipped' },
          {
            key: 'run',
            title: t('surveys.campaigns.lastRun'),
            render: (_, c) => formatDate(c.lastRunAt),
          },
          ...(editable
            ? [
                {
                  key: 'actions',
                  title: '',
                  render: (_: unknown, c: SurveyCampaign) => (
                    <Button
                      size="small"
                      loading={run.isPending}
                      onClick={() => run.mutate(c.id, { onError: (e) => onError(e) })}
                    >
                      {t('surveys.campaigns.runAgain')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Flex>
  );
}
