import { useState } from 'react';
import {
  Alert,
  Button,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Select,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  useSlaCalendars,
  useSlaPreview,
  type SlaPolicyRef,
  type SlaPreview,
  type SlaPreviewQuery,
} from '../../../api/sla';
import { useTicketOptions } from '../../../lib/ticketLabels';
import { QueryError } from '../../errors/QueryError';
import { localWallTime, useFormatDuration, weekdayOf, zonedToIso } from './format';
import { CUSTOMER_TIERS } from './policyForm';

interface Values {
  calendarId?: string;
  channel: string;
  category: string;
  tier: string;
  priority: string;
  customerTier: string;
  /** Wall time in the calendar's zone, `YYYY-MM-DDTHH:mm`. */
  receivedAt: string;
}

/** The example of SPEC chapter 3: a complaint on the last working day before National Day. */
const NATIONAL_DAY_EXAMPLE: Partial<Values> = {
  channel: 'phone',
  category: 'complaint',
  tier: 'L3',
  priority: 'urgent',
  customerTier: 'regular',
  receivedAt: '2026-09-30T17:50',
};

type Target = SlaPreview['targets'][number];

/** "A ticket with these facts, received then: which targets, due when?" (`GET /sla/preview`). */
export function PolicyPreview() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const calendars = useSlaCalendars();
  const options = useTicketOptions();
  const formatDuration = useFormatDuration();
  const [query, setQuery] = useState<SlaPreviewQuery | null>(null);
  const preview = useSlaPreview(query);
  const zh = i18n.language.startsWith('zh');

  const run = (v: Values) => {
    const calendar =
      calendars.data?.find((c) => c.id === v.calendarId) ??
      calendars.data?.find((c) => c.isDefault);
    setQuery({
      channel: v.channel,
      category: v.category,
      tier: v.tier,
      priority: v.priority,
      customerTier: v.customerTier,
      receivedAt: zonedToIso(v.receivedAt, calendar?.timeZone ?? 'Asia/Shanghai'),
      ...(v.calendarId ? { calendarId: v.calendarId } : {}),
    });
  };

  const nameOf = (p: SlaPolicyRef) => (zh ? p.name.zh : p.name.en);

  const wall = (iso: string) => {
    const text = localWallTime(iso);
    return `${text} ${t(`slaAdmin.weekdays.${weekdayOf(iso)}`)}`;
  };

  const columns: TableColumnsType<Target> = [
    { title: t('slaAdmin.policies.kind'), key: 'kind', render: (_, r) => t(`sla.kinds.${r.kind}`) },
    {
      title: t('slaAdmin.preview.limit'),
      key: 'limit',
      render: (_, r) => formatDuration(r.limitMs),
    },
    {
      title: t('slaAdmin.preview.clock'),
      key: 'clock',
      render: (_, r) => <Tag>{t(`slaAdmin.clock.${r.clock}`)}</Tag>,
    },
    {
      title: t('slaAdmin.preview.dueAt'),
      key: 'dueAt',
      render: (_, r) => <Typography.Text strong>{wall(r.dueAtLocal)}</Typography.Text>,
    },
    {
      title: t('slaAdmin.preview.source'),
      key: 'source',
      render: (_, r) => (
        <span data-testid={`preview-source-${r.kind}`}>
          {nameOf(r.source)} <Typography.Text code>{r.source.key}</Typography.Text>
          {r.overruled.length > 0 && (
            <Tooltip
              title={r.overruled
                .map((o) => `${nameOf(o)}: ${formatDuration(o.limitMs)} → ${wall(o.dueAtLocal)}`)
                .join('; ')}
            >
              <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                {t('slaAdmin.preview.overruled', {
                  policies: r.overruled.map((o) => nameOf(o)).join('、'),
                })}
              </Typography.Text>
            </Tooltip>
          )}
        </span>
      ),
    },
    {
      title: t('slaAdmin.preview.flags'),
      key: 'flags',
      render: (_, r) => (
        <>
          {r.pausesWhilePendingCustomer && <Tag>{t('slaAdmin.policies.pauses')}</Tag>}
          {r.repeats && <Tag color="blue">{t('slaAdmin.policies.repeats')}</Tag>}
        </>
      ),
    },
  ];

  const data = preview.data;
  return (
    <div data-testid="policy-preview">
      <Typography.Paragraph type="secondary">{t('slaAdmin.preview.help')}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{
          channel: 'email',
          category: 'consultation',
          tier: 'L1',
          priority: 'general',
          customerTier: 'regular',
        }}
        onFinish={run}
      >
        <Flex gap={12} wrap>
          <Form.Item name="channel" label={t('tickets.fields.channel')} style={{ width: 150 }}>
            <Select options={options.channel} data-testid="preview-channel" />
          </Form.Item>
          <Form.Item name="category" label={t('tickets.fields.category')} style={{ width: 150 }}>
            <Select options={options.category} data-testid="preview-category" />
          </Form.Item>
          <Form.Item name="tier" label={t('tickets.fields.tier')} style={{ width: 170 }}>
            <Select options={options.tier} data-testid="preview-tier" />
          </Form.Item>
          <Form.Item name="priority" label={t('tickets.fields.priority')} style={{ width: 120 }}>
            <Select options={options.priority} data-testid="preview-priority" />
          </Form.Item>
          <Form.Item
            name="customerTier"
            label={t('slaAdmin.policies.customerTier')}
            style={{ width: 140 }}
          >
            <Select
              options={CUSTOMER_TIERS.map((v) => ({ value: v, label: t(`customers.tier.${v}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="receivedAt"
            label={t('slaAdmin.preview.receivedAt')}
            rules={[{ required: true, message: t('validation.required') }]}
            style={{ width: 220 }}
          >
            <Input type="datetime-local" data-testid="preview-received" />
          </Form.Item>
          <Form.Item
            name="calendarId"
            label={t('slaAdmin.preview.calendar')}
            style={{ width: 220 }}
          >
            <Select
              allowClear
              placeholder={t('slaAdmin.preview.defaultCalendar')}
              options={(calendars.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            />
          </Form.Item>
        </Flex>
        <Flex gap={8}>
          <Button
            type="primary"
            htmlType="submit"
            loading={preview.isFetching}
            data-testid="run-preview"
          >
            {t('slaAdmin.preview.run')}
          </Button>
          <Button
            onClick={() => {
              form.setFieldsValue(NATIONAL_DAY_EXAMPLE);
              form.submit();
            }}
            data-testid="preview-example"
          >
            {t('slaAdmin.preview.example')}
          </Button>
        </Flex>
      </Form>
      <div style={{ marginTop: 16 }}>
        {preview.isError && (
          <QueryError error={preview.error} onRetry={() => void preview.refetch()} />
        )}
        {!query && <Empty description={t('slaAdmin.preview.none')} />}
        {data && (
          <div data-testid="preview-result">
            <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 12 }}>
              <Descriptions.Item label={t('slaAdmin.preview.policy')}>
                {data.policy
                  ? zh
                    ? data.policy.name.zh
                    : data.policy.name.en
                  : t('slaAdmin.preview.noPolicy')}
                {data.policy && <Typography.Text code>{data.policy.key}</Typography.Text>}
              </Descriptions.Item>
              <Descriptions.Item label={t('slaAdmin.preview.applying')}>
                <span data-testid="preview-applying">
                  {data.applying.length === 0 && t('slaAdmin.preview.noPolicy')}
                  {data.applying.map((p) => (
                    <Tag key={p.key} color={p.applies === 'always' ? 'orange' : undefined}>
                      {nameOf(p)}
                      {p.applies === 'always' && ` · ${t('slaAdmin.policies.appliesAlwaysShort')}`}
                    </Tag>
                  ))}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('slaAdmin.preview.version')}>
                v{data.policyVersion}
              </Descriptions.Item>
              <Descriptions.Item label={t('slaAdmin.preview.calendar')}>
                {data.calendar.name} ({data.calendar.timeZone})
              </Descriptions.Item>
              <Descriptions.Item label={t('slaAdmin.preview.inHours')}>
                {data.receivedInWorkingHours ? t('slaAdmin.preview.yes') : t('slaAdmin.preview.no')}
              </Descriptions.Item>
            </Descriptions>
            {!data.policy && <Alert type="info" showIcon title={t('slaAdmin.preview.noPolicy')} />}
            <Table<Target>
              rowKey="kind"
              size="small"
              columns={columns}
              dataSource={data.targets}
              pagination={false}
              data-testid="preview-table"
            />
          </div>
        )}
      </div>
    </div>
  );
}
