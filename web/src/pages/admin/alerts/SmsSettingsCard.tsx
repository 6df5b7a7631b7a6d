import { useEffect, useState } from 'react';
import {
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import {
  useAlertSettings,
  useSaveAlertSettings,
  useTestSms,
  type AlertSettings,
  type AlertSettingsInput,
  type SmsProvider,
} from '../../../api/alerts';
import { useApiErrorHandler } from '../../../lib/errors';
import { QueryError } from '../../errors/QueryError';

type TextField =
  'accessKeyId' | 'signName' | 'template' | 'templateParam' | 'appId' | 'region' | 'endpoint';

interface Values {
  sms: { provider: SmsProvider; accessKeySecret?: string } & Partial<Record<TextField, string>>;
  retry: { maxAttempts?: number | null; retrySeconds?: number | null };
}

const TEXT_FIELDS: TextField[] = [
  'accessKeyId',
  'signName',
  'template',
  'templateParam',
  'appId',
  'region',
  'endpoint',
];

/** A field shows what is saved here; a value from the environment is its placeholder. */
function initialValues(s: AlertSettings): Values {
  const env = new Set(s.fromEnvironment);
  const sms: Values['sms'] = { provider: s.sms.provider, accessKeySecret: '' };
  for (const f of TEXT_FIELDS) sms[f] = env.has(f) ? '' : (s.sms[f] ?? '');
  return {
    sms,
    retry: {
      maxAttempts: env.has('maxAttempts') ? null : s.retry.maxAttempts,
      retrySeconds: env.has('retrySeconds') ? null : s.retry.retrySeconds,
    },
  };
}

/** SMS gateway and alert retries (docs/alerts.md): blank fields take the environment's value. */
export function SmsSettingsCard({ manage }: { manage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const settings = useAlertSettings();
  const save = useSaveAlertSettings();
  const test = useTestSms();
  const [form] = Form.useForm<Values>();
  const [phone, setPhone] = useState('');
  const provider = Form.useWatch(['sms', 'provider'], form) ?? settings.data?.data.sms.provider;
  const s = settings.data?.data;

  useEffect(() => {
    if (s) form.setFieldsValue(initialValues(s));
  }, [s, form]);

  const env = new Set(s?.fromEnvironment ?? []);
  const envHint = (field: string, value: string | number | null | undefined) =>
    env.has(field) && value !== null && value !== undefined
      ? t('alerts.sms.fromEnv', { value })
      : undefined;
  const label = (field: string) => (
    <Space size={4}>
      {t(`alerts.sms.fields.${field}`)}
      {env.has(field) && <Tag>{t('alerts.sms.envTag')}</Tag>}
    </Space>
  );

  const submit = (v: Values) => {
    const sms: NonNullable<AlertSettingsInput['sms']> = { provider: v.sms.provider };
    for (const f of TEXT_FIELDS) {
      const value = v.sms[f]?.trim() ?? '';
      // Blank: not set here (the environment's value, if any, applies).
      sms[f] = value === '' ? null : value;
    }
    // The saved secret is never shown: blank keeps it.
    if (v.sms.accessKeySecret) sms.accessKeySecret = v.sms.accessKeySecret;
    save.mutate(
      {
        sms,
        retry: {
          maxAttempts: v.retry.maxAttempts ?? null,
          retrySeconds: v.retry.retrySeconds ?? null,
        },
      },
      {
        onSuccess: () => void message.success(t('alerts.saved')),
        onError: (e) => onError(e, form),
      },
    );
  };

  const runTest = () =>
    test.mutate(phone.trim(), {
      onSuccess: ({ data }) => {
        if (data.ok)
          void message.success(
            t('alerts.sms.testOk', { provider: t(`alerts.sms.providers.${data.provider}`) }),
          );
        else void message.error(t('alerts.sms.testFailed', { reason: data.error ?? '' }));
      },
      onError: (e) => onError(e),
    });

  const gateway = provider === 'aliyun' || provider === 'tencent';

  return (
    <Card data-testid="sms-settings">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('alerts.sms.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('alerts.sms.intro')}</Typography.Paragraph>
      {settings.isError && (
        <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
      )}
      {s && (
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={initialValues(s)}
          onFinish={submit}
          disabled={!manage}
          data-testid="sms-settings-form"
        >
          <Form.Item name={['sms', 'provider']} label={label('provider')}>
            <Radio.Group data-testid="sms-provider">
              {(['log', 'none', 'aliyun', 'tencent'] as const).map((p) => (
                <Radio.Button key={p} value={p}>
                  {t(`alerts.sms.providers.${p}`)}
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          {gateway && (
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name={['sms', 'accessKeyId']} label={label('accessKeyId')}>
                  <Input
                    maxLength={200}
                    autoComplete="off"
                    placeholder={envHint('accessKeyId', s.sms.accessKeyId)}
                    data-testid="sms-access-key-id"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  name={['sms', 'accessKeySecret']}
                  label={label('accessKeySecret')}
                  extra={
                    s.sms.accessKeySecretSet
                      ? t('alerts.secretKeep', { hint: s.sms.accessKeySecretHint })
                      : undefined
                  }
                >
                  <Input.Password
                    maxLength={1000}
                    autoComplete="new-password"
                    data-testid="sms-access-key-secret"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name={['sms', 'signName']} label={label('signName')}>
                  <Input
                    maxLength={100}
                    placeholder={envHint('signName', s.sms.signName)}
                    data-testid="sms-sign-name"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  name={['sms', 'template']}
                  label={label('template')}
                  extra={gateway ? t(`alerts.sms.templateHelp.${provider}`) : undefined}
                >
                  <Input
                    maxLength={100}
                    placeholder={envHint('template', s.sms.template)}
                    data-testid="sms-template"
                  />
                </Form.Item>
              </Col>
              {provider === 'aliyun' && (
                <Col xs={24} md={12}>
                  <Form.Item name={['sms', 'templateParam']} label={label('templateParam')}>
                    <Input
                      maxLength={100}
                      placeholder={envHint('templateParam', s.sms.templateParam)}
                    />
                  </Form.Item>
                </Col>
              )}
              {provider === 'tencent' && (
                <Col xs={24} md={12}>
                  <Form.Item name={['sms', 'appId']} label={label('appId')}>
                    <Input
                      maxLength={100}
                      placeholder={envHint('appId', s.sms.appId)}
                      data-testid="sms-app-id"
                    />
                  </Form.Item>
                </Col>
              )}
              <Col xs={24} md={12}>
                <Form.Item name={['sms', 'region']} label={label('region')}>
                  <Input
                    maxLength={100}
                    placeholder={
                      envHint('region', s.sms.region) ??
                      (provider === 'aliyun' ? 'cn-hangzhou' : 'ap-guangzhou')
                    }
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  name={['sms', 'endpoint']}
                  label={label('endpoint')}
                  rules={[
                    {
                      pattern: /^https?:\/\/\S+$/,
                      message: t('alerts.urlInvalid'),
                    },
                  ]}
                >
                  <Input
                    maxLength={500}
                    placeholder={
                      envHint('endpoint', s.sms.endpoint) ??
                      (provider === 'aliyun'
                        ? 'https://dysmsapi.aliyuncs.com'
                        : 'https://sms.tencentcloudapi.com')
                    }
                    data-testid="sms-endpoint"
                  />
                </Form.Item>
              </Col>
            </Row>
          )}
          <Typography.Title level={5}>{t('alerts.sms.retryTitle')}</Typography.Title>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name={['retry', 'maxAttempts']}
                label={label('maxAttempts')}
                extra={t('alerts.sms.maxAttemptsHelp')}
              >
                <InputNumber
                  min={1}
                  max={50}
                  precision={0}
                  style={{ width: '100%' }}
                  placeholder={envHint('maxAttempts', s.retry.maxAttempts)}
                  data-testid="alert-max-attempts"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name={['retry', 'retrySeconds']}
                label={label('retrySeconds')}
                extra={t('alerts.sms.retrySecondsHelp')}
              >
                <InputNumber
                  min={1}
                  max={86_400}
                  precision={0}
                  style={{ width: '100%' }}
                  placeholder={envHint('retrySeconds', s.retry.retrySeconds)}
                  data-testid="alert-retry-seconds"
                />
              </Form.Item>
            </Col>
          </Row>
          {manage && (
            <Space wrap>
              <Button
                type="primary"
                htmlType="submit"
                loading={save.isPending}
                data-testid="sms-settings-save"
              >
                {t('common.save')}
              </Button>
              <Space.Compact>
                <Input
                  value={phone}
                  onChange={(e) => setPhone(e.target.value)}
                  placeholder={t('alerts.sms.testPhone')}
                  maxLength={21}
                  style={{ width: 200 }}
                  data-testid="sms-test-phone"
                />
                <Button
                  onClick={runTest}
                  loading={test.isPending}
                  disabled={!/^\+?[0-9]{5,20}$/.test(phone.trim())}
                  data-testid="sms-test"
                >
                  {t('alerts.sms.test')}
                </Button>
              </Space.Compact>
            </Space>
          )}
        </Form>
      )}
    </Card>
  );
}
