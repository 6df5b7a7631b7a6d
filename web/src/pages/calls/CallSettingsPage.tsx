import { useEffect } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../api/auth';
import { useCallSettings, useUpdateCallSettings, type PeakWindow } from '../../api/calls';
import { useApiErrorHandler } from '../../lib/errors';
import { usePageTitle } from '../../lib/usePageTitle';
import { QueryError } from '../errors/QueryError';

interface FormValues {
  providers: {
    key: string;
    name: string;
    secret?: string;
    secretSet?: boolean;
    dialKind?: 'none' | 'http' | 'simulator';
    dialUrl?: string;
  }[];
  replayWindowSeconds: number;
  callbackDueMinutes: number;
  peakWindows: PeakWindow[];
}

const DAYS = [1, 2, 3, 4, 5, 6, 7];

/** Admin → Phone: CTI providers and their secrets, replay window, peak windows, call-back due. */
export function CallSettingsPage() {
  const { t } = useTranslation();
  usePageTitle(t('calls.settings.title'));
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const can = useAbilities();
  const settings = useCallSettings();
  const update = useUpdateCallSettings();
  const [form] = Form.useForm<FormValues>();
  const editable = can('callSettings.manage');

  useEffect(() => {
    if (settings.data)
      form.setFieldsValue({
        ...settings.data,
        providers: settings.data.providers.map((p) => ({
          ...p,
          dialKind: p.dial?.kind ?? 'none',
          dialUrl: p.dial?.kind === 'http' ? p.dial.url : '',
        })),
        peakWindows: settings.data.peakWindows.map((w) => ({
          ...w,
          days: w.days ?? [1, 2, 3, 4, 5],
        })),
      });
  }, [settings.data, form]);

  if (settings.isError)
    return <QueryError error={settings.error} onRetry={() => void settings.refetch()} />;

  const save = (v: FormValues) =>
    update.mutate(
      {
        providers: v.providers.map((p) => ({
          key: p.key,
          name: p.name,
          ...(p.secret ? { secret: p.secret } : {}),
          dial:
            p.dialKind === 'http'
              ? { kind: 'http' as const, url: p.dialUrl ?? '' }
              : p.dialKind === 'simulator'
                ? { kind: 'simulator' as const }
                : null,
        })),
        replayWindowSeconds: v.replayWindowSeconds,
        callbackDueMinutes: v.callbackDueMinutes,
        peakWindows: v.peakWindows,
      },
      {
        onSuccess: () => void message.success(t('calls.settings.saved')),
        onError: (e) => onError(e, form),
      },
    );

  return (
    <Card title={t('calls.settings.title')} loading={settings.isLoading}>
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        disabled={!editable}
        style={{ maxWidth: 760 }}
      >
        <Typography.Title level={5}>{t('calls.settings.providers')}</Typography.Title>
        <Typography.Paragraph type="secondary">
          {t('calls.settings.providersHint')}
        </Typography.Paragraph>
        <Form.List name="providers">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} wrap align="start">
                  <Form.Item
                    name={[f.name, 'key']}
                    label={t('calls.settings.key')}
                    rules={[{ required: true, pattern: /^[a-z0-9_-]{1,40}$/ }]}
                  >
                    <Input style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'name']}
                    label={t('calls.settings.name')}
                    rules={[{ required: true }]}
                  >
                    <Input style={{ width: 160 }} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'secret']}
                    label={t('calls.settings.secret')}
                    rules={[{ min: 16 }]}
                    extra={
                      form.getFieldValue(['providers', f.name, 'secretSet'])
                        ? t('calls.settings.secretSet')
                        : undefined
                    }
                  >
                    <Input.Password style={{ width: 220 }} autoComplete="new-password" />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'dialKind']}
                    label={t('calls.settings.dial')}
                    initialValue="none"
                  >
                    <Select
                      style={{ width: 150 }}
                      data-testid="provider-dial-kind"
                      options={(['none', 'http', 'simulator'] as const).map((k) => ({
                        value: k,
                        label: t(`calls.settings.dialKind.${k}`),
                      }))}
                    />
                  </Form.Item>
                  <Form.Item noStyle dependencies={[['providers', f.name, 'dialKind']]}>
                    {() =>
                      form.getFieldValue(['providers', f.name, 'dialKind']) === 'http' && (
                        <Form.Item
                          name={[f.name, 'dialUrl']}
                          label={t('calls.settings.dialUrl')}
                          rules={[{ required: true, type: 'url' }]}
                          extra={t('calls.settings.dialUrlHint')}
                        >
                          <Input
                            style={{ width: 260 }}
                            placeholder="https://pbx.example.com/dial"
                          />
                        </Form.Item>
                      )
                    }
                  </Form.Item>
                  <Button
                    icon={<DeleteOutlined />}
                    aria-label={t('calls.settings.remove')}
                    onClick={() => remove(f.name)}
                    style={{ marginTop: 30 }}
                  />
                </Space>
              ))}
              <Form.Item>
                <Button icon={<PlusOutlined />} onClick={() => add({ key: '', name: '' })}>
                  {t('calls.settings.addProvider')}
                </Button>
              </Form.Item>
            </>
          )}
        </Form.List>
        <Space wrap>
          <Form.Item
            name="replayWindowSeconds"
            label={t('calls.settings.replayWindow')}
            rules={[{ required: true }]}
          >
            <InputNumber min={10} max={86400} addonAfter={t('calls.settings.secondsUnit')} />
          </Form.Item>
          <Form.Item
            name="callbackDueMinutes"
            label={t('calls.settings.callbackDue')}
            rules={[{ required: true }]}
            extra={t('calls.settings.callbackDueHint')}
          >
            <InputNumber min={1} max={100000} addonAfter={t('calls.settings.minutesUnit')} />
          </Form.Item>
        </Space>
        <Typography.Title level={5}>{t('calls.settings.peakWindows')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('calls.settings.peakHint')}</Typography.Paragraph>
        <Form.List name="peakWindows">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} wrap align="start">
                  <Form.Item
                    name={[f.name, 'start']}
                    label={t('calls.settings.start')}
                    rules={[{ required: true, pattern: /^\d{2}:\d{2}$/ }]}
                  >
                    <Input style={{ width: 90 }} placeholder="09:00" />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'end']}
                    label={t('calls.settings.end')}
                    rules={[{ required: true, pattern: /^\d{2}:\d{2}$/ }]}
                  >
                    <Input style={{ width: 90 }} placeholder="11:00" />
                  </Form.Item>
                  <Form.Item name={[f.name, 'days']} label={t('calls.settings.days')}>
                    <Select
                      mode="multiple"
                      style={{ minWidth: 220 }}
                      options={DAYS.map((d) => ({ value: d, label: t(`calls.weekday.${d}`) }))}
                    />
                  </Form.Item>
                  <Button
                    icon={<DeleteOutlined />}
                    aria-label={t('calls.settings.remove')}
                    onClick={() => remove(f.name)}
                    style={{ marginTop: 30 }}
                  />
                </Space>
              ))}
              <Form.Item>
                <Button
                  icon={<PlusOutlined />}
                  onClick={() => add({ start: '', end: '', days: [1, 2, 3, 4, 5] })}
                >
                  {t('calls.settings.addWindow')}
                </Button>
              </Form.Item>
            </>
          )}
        </Form.List>
        {editable && (
          <Button
            type="primary"
            htmlType="submit"
            loading={update.isPending}
            data-testid="call-settings-save"
          >
            {t('common.save')}
          </Button>
        )}
      </Form>
    </Card>
  );
}
