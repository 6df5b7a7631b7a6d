import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tabs,
  Tag,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import {
  useCallbackAttempt,
  useCallbacks,
  useCalls,
  useCallStats,
  type CallbackStatus,
  type CallCallback,
  type CallMeasure,
} from '../../api/calls';
import { useApiErrorHandler } from '../../lib/errors';
import { useFormatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/usePageTitle';
import { QueryError } from '../errors/QueryError';
import { CallTable } from './CallTable';
import { DialButton } from './DialButton';
import { formatRate, formatSeconds } from './format';

/** Phone: the call log, call-back tasks for missed calls, and the connection-rate figures. */
export function CallsPage() {
  const { t } = useTranslation();
  usePageTitle(t('calls.title'));
  return (
    <Card title={t('calls.title')}>
      <Tabs
        items={[
          { key: 'log', label: t('calls.tabs.log'), children: <CallLog /> },
          { key: 'callbacks', label: t('calls.tabs.callbacks'), children: <Callbacks /> },
          { key: 'figures', label: t('calls.tabs.figures'), children: <Figures /> },
        ]}
      />
    </Card>
  );
}

function CallLog() {
  const { t } = useTranslation();
  const [state, setState] = useState<string | undefined>();
  const [mine, setMine] = useState(false);
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const calls = useCalls({
    ...(state ? { state } : {}),
    ...(mine ? { mine: 'true' as const } : {}),
    ...(range
      ? { from: range[0].startOf('day').toISOString(), to: range[1].endOf('day').toISOString() }
      : {}),
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          allowClear
          placeholder={t('calls.fields.state')}
          style={{ width: 160 }}
          value={state}
          onChange={setState}
          options={(['ringing', 'answered', 'completed', 'missed'] as const).map((s) => ({
            value: s,
            label: t(`calls.state.${s}`),
          }))}
          data-testid="calls-filter-state"
        />
        <DatePicker.RangePicker
          value={range}
          onChange={(v) => setRange(v && v[0] && v[1] ? [v[0], v[1]] : null)}
        />
        <Space>
          <Switch checked={mine} onChange={setMine} />
          {t('calls.mine')}
        </Space>
      </Space>
      {calls.isError ? (
        <QueryError error={calls.error} onRetry={() => void calls.refetch()} />
      ) : (
        <CallTable calls={calls.data?.data ?? []} loading={calls.isLoading} testId="calls-table" />
      )}
    </Space>
  );
}

function Callbacks() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const formatDateTime = useFormatDateTime();
  const [status, setStatus] = useState<CallbackStatus>('open');
  const [mine, setMine] = useState(false);
  const list = useCallbacks(status, mine);
  const attempt = useCallbackAttempt();
  const [working, setWorking] = useState<CallCallback | null>(null);
  const [form] = Form.useForm<{ outcome: string; note: string }>();

  const columns: TableColumnsType<CallCallback> = [
    {
      title: t('calls.callbacks.due'),
      dataIndex: 'dueAt',
      render: (v: string, r) => (
        <Space>
          {formatDateTime(v)}
          {r.overdue && <Tag color="error">{t('calls.callbacks.overdue')}</Tag>}
        </Space>
      ),
    },
    { title: t('calls.fields.caller'), dataIndex: ['call', 'callerNumber'] },
    {
      title: t('calls.fields.customer'),
      dataIndex: ['call', 'customer', 'name'],
      render: (v?: string) => v ?? '—',
    },
    {
      title: t('calls.fields.ringAt'),
      dataIndex: ['call', 'ringAt'],
      render: (v: string) => formatDateTime(v),
    },
    {
      title: t('calls.fields.agent'),
      dataIndex: ['agent', 'name'],
      render: (v?: string) => v ?? '—',
    },
    {
      title: t('calls.callbacks.outcome'),
      dataIndex: 'outcome',
      render: (v: string | null, r) =>
        v ? `${t(`calls.outcome.${v}`)}${r.attemptedBy ? ` · ${r.attemptedBy.name}` : ''}` : '—',
    },
    {
      title: '',
      key: 'act',
      render: (_, r) =>
        r.status === 'open' && (
          <Space>
            <DialButton target={{ callbackId: r.id }} />
            <Button
              size="small"
              type="primary"
              onClick={() => setWorking(r)}
              data-testid="callback-attempt"
            >
              {t('calls.callbacks.attempt')}
            </Button>
          </Space>
        ),
    },
  ];

  const submit = (v: { outcome: string; note?: string }) =>
    working &&
    attempt.mutate(
      { id: working.id, outcome: v.outcome, note: v.note ?? '' },
      {
        onSuccess: () => {
          void message.success(t('calls.callbacks.recorded'));
          setWorking(null);
          form.resetFields();
        },
        onError: (e) => onError(e, form),
      },
    );

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Radio.Group
          value={status}
          onChange={(e) => setStatus(e.target.value as CallbackStatus)}
          optionType="button"
          options={(['open', 'done', 'cancelled'] as const).map((s) => ({
            value: s,
            label: t(`calls.callbackStatus.${s}`),
          }))}
        />
        <Space>
          <Switch checked={mine} onChange={setMine} />
          {t('calls.callbacks.mine')}
        </Space>
      </Space>
      {list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data?.data ?? []}
          loading={list.isLoading}
          scroll={{ x: true }}
          data-testid="callbacks-table"
        />
      )}
      <Modal
        open={!!working}
        title={t('calls.callbacks.attemptTitle', { number: working?.call.callerNumber ?? '' })}
        onCancel={() => setWorking(null)}
        onOk={() => form.submit()}
        confirmLoading={attempt.isPending}
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ outcome: 'reached' }}
        >
          <Form.Item
            name="outcome"
            label={t('calls.callbacks.outcome')}
            rules={[{ required: true }]}
          >
            <Radio.Group
              options={(['reached', 'no_answer', 'voicemail'] as const).map((o) => ({
                value: o,
                label: t(`calls.outcome.${o}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="note" label={t('calls.callbacks.note')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

function MeasureCard(props: { title: string; m: CallMeasure; target?: number; testId: string }) {
  const { t } = useTranslation();
  const low =
    props.target !== undefined &&
    props.m.connectionRate !== null &&
    props.m.connectionRate < props.target;
  return (
    <Card size="small" title={props.title} data-testid={props.testId}>
      <Row gutter={16}>
        <Col span={12}>
          <Statistic
            title={t('calls.figures.rate')}
            value={formatRate(props.m.connectionRate)}
            valueStyle={low ? { color: '#cf1322' } : undefined}
          />
        </Col>
        <Col span={12}>
          <Statistic
            title={t('calls.figures.meanAnswer')}
            value={formatSeconds(props.m.meanAnswerMs, t)}
          />
        </Col>
        <Col span={12}>
          <Statistic title={t('calls.figures.offered')} value={props.m.offered} />
        </Col>
        <Col span={12}>
          <Statistic title={t('calls.figures.missed')} value={props.m.missed} />
        </Col>
      </Row>
    </Card>
  );
}

function Figures() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(29, 'day'), dayjs()]);
  const stats = useCallStats({
    from: range[0].startOf('day').toISOString(),
    to: range[1].endOf('day').toISOString(),
  });
  const s = stats.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <DatePicker.RangePicker
        value={range}
        allowClear={false}
        onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
      />
      {stats.isError && <QueryError error={stats.error} onRetry={() => void stats.refetch()} />}
      {s && (
        <>
          <Alert
            type="info"
            showIcon
            message={t('calls.figures.hint', { tz: s.timeZone, open: s.openCallbacks })}
          />
          <Row gutter={[16, 16]}>
            <Col xs={24} md={12}>
              <MeasureCard title={t('calls.figures.peak')} m={s.peak} testId="calls-figure-peak" />
            </Col>
            <Col xs={24} md={12}>
              <MeasureCard
                title={t('calls.figures.overall')}
                m={s.overall}
                testId="calls-figure-overall"
              />
            </Col>
            {s.windows.map((w, i) => (
              <Col xs={24} md={12} key={i}>
                <MeasureCard
                  title={t('calls.figures.window', { start: w.window.start, end: w.window.end })}
                  m={w}
                  testId={`calls-figure-window-${i}`}
                />
              </Col>
            ))}
          </Row>
        </>
      )}
    </Space>
  );
}
