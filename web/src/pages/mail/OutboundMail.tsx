import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  Popconfirm,
  Segmented,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  useDeadLetterAction,
  useDeadLetters,
  useMailTemplates,
  usePreviewTemplate,
  useResetTemplate,
  useSaveTemplate,
  type MailDelivery,
  type MailLocale,
  type MailPreview,
} from '../../api/mailOutbound';
import type { OutboxMail } from '../../api/settings';
import { LoadMore } from '../../layout/LoadMore';
import { useApiErrorHandler } from '../../lib/errors';
import { useFormatDateTime } from '../../lib/format';
import { QueryError } from '../errors/QueryError';
import { outboxMailColumns } from './outboxColumns';

/** Settings › Mail templates: zh/en texts with placeholders, preview, validation, reset. */
export function MailTemplatesTab() {
  const { t } = useTranslation();
  const list = useMailTemplates();
  const save = useSaveTemplate();
  const reset = useResetTemplate();
  const preview = usePreviewTemplate();
  const onError = useApiErrorHandler();
  const [template, setTemplate] = useState('ticket.reply');
  const [locale, setLocale] = useState<MailLocale>('zh-CN');
  const [previewed, setPreviewed] = useState<{ key: string; mail: MailPreview } | null>(null);
  const shown = previewed?.key === `${template}/${locale}` ? previewed.mail : null;
  const [form] = Form.useForm<{ subject: string; body: string }>();
  const current = list.data?.find((x) => x.template === template && x.locale === locale);

  useEffect(() => {
    if (current) form.setFieldsValue({ subject: current.subject, body: current.body });
  }, [current, form]);

  if (list.isError) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  if (list.isPending || !current) return <Skeleton active />;
  const keys = [...new Set(list.data.map((x) => x.template))];
  const values = () => ({ template, locale, ...form.getFieldsValue() });

  return (
    <Card title={t('mailOut.templates.title')} data-testid="mail-templates">
      <Typography.Paragraph type="secondary">{t('mailOut.templates.help')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          value={template}
          onChange={setTemplate}
          style={{ minWidth: 240 }}
          options={keys.map((k) => ({
            value: k,
            label: t(`adminSettings.mail.templates.${k}`, { defaultValue: k }),
          }))}
          data-testid="mail-template-select"
        />
        <Segmented
          value={locale}
          onChange={(v) => setLocale(v as MailLocale)}
          options={[
            { value: 'zh-CN', label: '中文' },
            { value: 'en-US', label: 'English' },
          ]}
          data-testid="mail-template-locale"
        />
        {current.customized ? (
          <Tag color="blue">{t('mailOut.templates.customized')}</Tag>
        ) : (
          <Tag>{t('mailOut.templates.builtIn')}</Tag>
        )}
      </Space>
      <Flex gap={4} wrap style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('mailOut.templates.placeholders')}</Typography.Text>
        {current.placeholders.map((p) => (
          <Tooltip
            key={p}
            title={current.required.includes(p) ? t('mailOut.templates.required') : ''}
          >
            <Tag color={current.required.includes(p) ? 'red' : undefined}>{`{{${p}}}`}</Tag>
          </Tooltip>
        ))}
      </Flex>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          save.mutate({ template, locale, ...v }, { onError: (e) => onError(e, form) })
        }
      >
        <Form.Item
          name="subject"
          label={t('mailOut.templates.subject')}
          rules={[{ required: true, max: 300 }]}
        >
          <Input data-testid="mail-template-subject" />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('mailOut.templates.body')}
          rules={[{ required: true, max: 20000 }]}
        >
          <Input.TextArea autoSize={{ minRows: 6, maxRows: 20 }} data-testid="mail-template-body" />
        </Form.Item>
        <Space wrap>
          <Button
            type="primary"
            htmlType="submit"
            loading={save.isPending}
            data-testid="mail-template-save"
          >
            {t('common.save')}
          </Button>
          <Button
            loading={preview.isPending}
            onClick={() =>
              preview.mutate(values(), {
                onSuccess: (mail) => setPreviewed({ key: `${template}/${locale}`, mail }),
                onError: (e) => onError(e, form),
              })
            }
            data-testid="mail-template-preview"
          >
            {t('mailOut.templates.preview')}
          </Button>
          <Popconfirm
            title={t('mailOut.templates.resetConfirm')}
            onConfirm={() => reset.mutate({ template, locale }, { onError: (e) => onError(e) })}
            disabled={!current.customized}
          >
            <Button disabled={!current.customized} data-testid="mail-template-reset">
              {t('mailOut.templates.reset')}
            </Button>
          </Popconfirm>
        </Space>
      </Form>
      {shown && (
        <Card size="small" style={{ marginTop: 16 }} data-testid="mail-template-preview-result">
          <Typography.Text strong>{shown.subject}</Typography.Text>
          <pre style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', marginTop: 8 }}>
            {shown.text}
          </pre>
        </Card>
      )}
    </Card>
  );
}

/** Settings › Not delivered: mail that failed all its attempts, to send again or discard. */
export function DeadLettersTab() {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const dead = useDeadLetters();
  const act = useDeadLetterAction();
  const onError = useApiErrorHandler();
  const rows = dead.data?.pages.flatMap((p) => p.data) ?? [];
  if (dead.isError) return <QueryError error={dead.error} onRetry={() => void dead.refetch()} />;

  const columns: TableColumnsType<OutboxMail> = [
    ...outboxMailColumns(t, formatDate),
    { title: t('adminSettings.mail.attempts'), dataIndex: 'attempts', key: 'attempts', width: 80 },
    {
      title: t('adminSettings.mail.lastError'),
      key: 'err',
      ellipsis: true,
      render: (_, m) => <Typography.Text type="danger">{m.lastError ?? '—'}</Typography.Text>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 190,
      render: (_, m) => (
        <Space>
          <Button
            size="small"
            onClick={() =>
              act.mutate({ id: m.id, action: 'retry' }, { onError: (e) => onError(e) })
            }
            data-testid="dead-letter-retry"
          >
            {t('adminSettings.mail.retry')}
          </Button>
          <Popconfirm
            title={t('mailOut.dead.discardConfirm')}
            onConfirm={() =>
              act.mutate({ id: m.id, action: 'discard' }, { onError: (e) => onError(e) })
            }
          >
            <Button size="small" danger data-testid="dead-letter-discard">
              {t('mailOut.dead.discard')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];
  return (
    <Card title={t('mailOut.dead.title')} data-testid="dead-letters">
      <Typography.Paragraph type="secondary">{t('mailOut.dead.help')}</Typography.Paragraph>
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={dead.isPending}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty description={t('mailOut.dead.empty')} /> }}
        data-testid="dead-letter-table"
      />
      <LoadMore query={dead} />
    </Card>
  );
}

const DELIVERY_COLORS: Record<MailDelivery['status'], string> = {
  queued: 'processing',
  sent: 'success',
  failed: 'error',
  expired: 'default',
  discarded: 'default',
};

/** Beside a public reply on the timeline: whether the mail reached the customer. */
export function MailDeliveryTag({ delivery }: { delivery: MailDelivery }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const state = delivery.status === 'queued' && delivery.lastError ? 'retrying' : delivery.status;
  const tip =
    delivery.status === 'sent'
      ? t('mailOut.delivery.sentAt', { to: delivery.to, time: formatDate(delivery.sentAt) })
      : delivery.lastError
        ? t('mailOut.delivery.reason', { reason: delivery.lastError, attempts: delivery.attempts })
        : t('mailOut.delivery.to', { to: delivery.to });
  return (
    <Tooltip title={tip}>
      <Tag
        color={state === 'retrying' ? 'warning' : DELIVERY_COLORS[delivery.status]}
        data-testid="mail-delivery"
        data-status={delivery.status}
      >
        {t(`mailOut.delivery.${state}`)}
      </Tag>
    </Tooltip>
  );
}

export function DeliveryReason({ delivery }: { delivery: MailDelivery }) {
  if (!delivery.lastError || delivery.status === 'sent') return null;
  return (
    <Alert
      type={delivery.status === 'failed' ? 'error' : 'warning'}
      showIcon
      style={{ marginTop: 6 }}
      message={delivery.lastError}
      data-testid="mail-delivery-reason"
    />
  );
}
