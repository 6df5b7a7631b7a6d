import { lazy, Suspense, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Skeleton,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { StarFilled, WarningOutlined, TrophyOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useAbilities, useMe } from '../../api/auth';
import {
  KPI_KEYS,
  useCorrectSnapshot,
  useKpiSnapshots,
  useKpiTrend,
  useRunAssessment,
  useSignSnapshot,
  type KpiAgentRow,
  type KpiKey,
  type KpiResult,
  type KpiSnapshot,
  type KpiTargets,
  type KpiTeamRow,
} from '../../api/kpi';
import { useApiErrorHandler } from '../../lib/errors';
import { useFormatDateTime } from '../../lib/format';
import { PAGED_ROWS } from '../../lib/tables';
import { usePageTitle } from '../../lib/usePageTitle';
import { QueryError } from '../errors/QueryError';
import { previousMonth, STATUS_COLORS, TREND_MONTHS, useFormatKpi } from './format';
import { KpiTrendTable } from './KpiTrendTable';
import { ChartTableToggle, useChartOrTable } from '../reports/ChartTableToggle';

const KpiTrendChart = lazy(() => import('./KpiTrendChart'));

/** One KPI cell: the value on a green / gold / red background against target and floor. */
function KpiCell({ k, r, targets }: { k: KpiKey; r: KpiResult; targets: KpiTargets }) {
  const { t } = useTranslation();
  const format = useFormatKpi();
  const colors = STATUS_COLORS[r.status];
  const tip = [
    `${r.numerator} / ${r.denominator}`,
    targets[k].target !== null ? t('kpi.targetIs', { value: format(k, targets[k].target) }) : null,
    targets[k].floor !== null ? t('kpi.floorIs', { value: format(k, targets[k].floor) }) : null,
    t(`kpi.status.${r.status}`),
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Tooltip title={tip}>
      <span
        data-status={r.status}
        data-testid={`kpi-cell-${k}`}
        style={{
          display: 'block',
          padding: '2px 6px',
          borderRadius: 4,
          background: colors.bg,
          color: colors.fg,
          fontWeight: r.status === 'below_floor' ? 600 : undefined,
        }}
      >
        {format(k, r.value)}
      </span>
    </Tooltip>
  );
}

function kpiColumns<T extends { kpis: Record<KpiKey, KpiResult> }>(
  t: (k: string) => string,
  targets: KpiTargets,
  keys: readonly KpiKey[],
): TableColumnsType<T> {
  return keys.map((k) => ({
    title: t(`kpi.kpis.${k}`),
    key: k,
    width: 110,
    render: (_: unknown, row: T) => <KpiCell k={k} r={row.kpis[k]} targets={targets} />,
  }));
}

function SignModal({
  snapshot,
  open,
  onClose,
}: {
  snapshot: KpiSnapshot;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const sign = useSignSnapshot();
  const [form] = Form.useForm<{ note?: string }>();
  return (
    <Modal
      open={open}
      title={t('kpi.sign.title', { month: snapshot.month })}
      okText={t('kpi.sign.confirm')}
      onCancel={onClose}
      confirmLoading={sign.isPending}
      okButtonProps={{ 'data-testid': 'kpi-sign-confirm' } as React.ComponentProps<typeof Button>}
      onOk={() =>
        form.validateFields().then((v) =>
          sign.mutate(
            { id: snapshot.id, revision: snapshot.revision, note: v.note },
            {
              onSuccess: () => {
                void message.success(t('kpi.sign.done'));
                onClose();
              },
              onError: (e) => onError(e, form),
            },
          ),
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('kpi.sign.explain')}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item name="note" label={t('kpi.sign.note')}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="kpi-sign-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CorrectModal({
  snapshot,
  open,
  onClose,
}: {
  snapshot: KpiSnapshot;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const correct = useCorrectSnapshot();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal
      open={open}
      title={t('kpi.correct.title', { month: snapshot.month })}
      okText={t('kpi.correct.confirm')}
      onCancel={onClose}
      confirmLoading={correct.isPending}
      okButtonProps={
        { 'data-testid': 'kpi-correct-confirm' } as React.ComponentProps<typeof Button>
      }
      onOk={() =>
        form.validateFields().then((v) =>
          correct.mutate(
            { id: snapshot.id, reason: v.reason },
            {
              onSuccess: () => {
                void message.success(t('kpi.correct.done'));
                onClose();
              },
              onError: (e) => onError(e, form),
            },
          ),
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('kpi.correct.explain')}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={t('kpi.correct.reason')}
          rules={[{ required: true, whitespace: true, message: t('kpi.correct.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={1000} data-testid="kpi-correct-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Service Stars, written warnings, training, team recognition of the snapshot. */
function Outcomes({ snapshot }: { snapshot: KpiSnapshot }) {
  const { t } = useTranslation();
  const { agents, teams, quarterEnd } = snapshot.results;
  const stars = agents.filter((a) => a.outcome.serviceStar);
  const warned = agents.filter((a) => a.outcome.warnings.length > 0);
  const recognised = teams.filter((x) => x.recognised);
  return (
    <Flex vertical gap={8} data-testid="kpi-outcomes">
      <div data-testid="kpi-stars">
        <Typography.Text strong>
          <StarFilled style={{ color: '#faad14' }} /> {t('kpi.outcomes.stars')}:{' '}
        </Typography.Text>
        {stars.length === 0
          ? t('kpi.outcomes.none')
          : stars.map((a) => (
              <Tag color="gold" key={a.userId} data-testid="kpi-star">
                {a.name}
              </Tag>
            ))}
      </div>
      <div data-testid="kpi-warnings">
        <Typography.Text strong>
          <WarningOutlined style={{ color: '#cf1322' }} /> {t('kpi.outcomes.warnings')}:{' '}
        </Typography.Text>
        {warned.length === 0
          ? t('kpi.outcomes.none')
          : warned.map((a) => (
              <Tag color="red" key={a.userId} data-testid="kpi-warning">
                {a.name}: {a.outcome.warnings.map((k) => t(`kpi.kpis.${k}`)).join('、')}
                {a.outcome.trainingRequired ? ` · ${t('kpi.outcomes.training')}` : ''}
              </Tag>
            ))}
      </div>
      {quarterEnd && (
        <div data-testid="kpi-recognition">
          <Typography.Text strong>
            <TrophyOutlined style={{ color: '#389e0d' }} /> {t('kpi.outcomes.recognised')}:{' '}
          </Typography.Text>
          {recognised.length === 0
            ? t('kpi.outcomes.none')
            : recognised.map((x) => (
                <Tag color="green" key={x.teamId}>
                  {x.name}
                </Tag>
              ))}
        </div>
      )}
    </Flex>
  );
}

/** KPI 考核: a month's assessment snapshot, its outcomes, sign / correct, and trends. */
export function KpiPage() {
  const { t } = useTranslation();
  usePageTitle(t('kpi.title'));
  const can = useAbilities();
  const me = useMe().data?.user;
  const formatDate = useFormatDateTime();
  const onError = useApiErrorHandler();
  const { message } = App.useApp();
  const [month, setMonth] = useState(previousMonth());
  const [chosen, setChosen] = useState<string | null>(null);
  const [subject, setSubject] = useState<{ userId?: string; teamId?: string; name?: string }>({});
  const [trendShown, setTrendShown] = useChartOrTable();
  const [signing, setSigning] = useState(false);
  const [correcting, setCorrecting] = useState(false);
  const snapshots = useKpiSnapshots(month);
  const run = useRunAssessment();
  const trend = useKpiTrend({
    ...(subject.userId ? { userId: subject.userId } : {}),
    ...(subject.teamId ? { teamId: subject.teamId } : {}),
    to: month,
    months: TREND_MONTHS,
  });
  const list = snapshots.data ?? [];
  const snapshot = list.find((s) => s.id === chosen) ?? list[0];
  const mayAssess = can('kpi.assess');

  const agentColumns = useMemo((): TableColumnsType<KpiAgentRow> => {
    if (!snapshot) return [];
    return [
      {
        title: t('kpi.agent'),
        key: 'name',
        fixed: 'left',
        width: 160,
        render: (_, a) => (
          <Space size={4}>
            <Typography.Link onClick={() => setSubject({ userId: a.userId, name: a.name })}>
              {a.name}
            </Typography.Link>
            {a.outcome.serviceStar && (
              <Tooltip title={t('kpi.outcomes.star')}>
                <StarFilled style={{ color: '#faad14' }} data-testid="kpi-row-star" />
              </Tooltip>
            )}
          </Space>
        ),
      },
      ...kpiColumns<KpiAgentRow>(
        t,
        snapshot.results.targets,
        KPI_KEYS.filter((k) => k !== 'complaint_rate'),
      ),
      {
        title: t('kpi.grade'),
        key: 'grade',
        width: 90,
        render: (_, a) => (
          <Space size={4}>
            {a.outcome.grade ?? t('kpi.na')}
            {a.outcome.quarterRating && (
              <Tooltip title={t('kpi.quarterRating')}>
                <Tag>{`Q: ${a.outcome.quarterRating}`}</Tag>
              </Tooltip>
            )}
          </Space>
        ),
      },
      {
        title: <Tooltip title={t('kpi.qaAverageHelp')}>{t('kpi.qaAverage')}</Tooltip>,
        key: 'qa',
        width: 100,
        render: (_, a) => (
          <span data-testid={`kpi-qa-${a.userId}`}>
            {a.qa ? t('kpi.qaValue', { average: a.qa.average, count: a.qa.count }) : t('kpi.na')}
          </span>
        ),
      },
    ];
  }, [snapshot, t]);

  const teamColumns = useMemo((): TableColumnsType<KpiTeamRow> => {
    if (!snapshot) return [];
    return [
      {
        title: t('kpi.team'),
        key: 'name',
        fixed: 'left',
        width: 160,
        render: (_, x) => (
          <Typography.Link onClick={() => setSubject({ teamId: x.teamId, name: x.name })}>
            {x.name}
          </Typography.Link>
        ),
      },
      ...kpiColumns<KpiTeamRow>(t, snapshot.results.targets, KPI_KEYS),
    ];
  }, [snapshot, t]);

  const runNow = () =>
    run.mutate(month, {
      onSuccess: (s) => {
        setChosen(s.id);
        void message.success(t('kpi.run.done', { month }));
      },
      onError: (e) => onError(e),
    });

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('kpi.title')}
        </Typography.Title>
        <Space wrap>
          <DatePicker
            picker="month"
            allowClear={false}
            value={dayjs(`${month}-01`)}
            disabledDate={(d) => d.isAfter(dayjs(), 'month')}
            onChange={(d) => {
              if (d) {
                setMonth(d.format('YYYY-MM'));
                setChosen(null);
              }
            }}
            data-testid="kpi-month"
            aria-label={t('kpi.month')}
          />
          {mayAssess && (
            <Button
              type="primary"
              onClick={runNow}
              loading={run.isPending}
              disabled={snapshot?.status === 'signed' && !snapshot.supersededById}
              data-testid="kpi-run"
            >
              {snapshot?.status === 'draft' ? t('kpi.run.again') : t('kpi.run.button')}
            </Button>
          )}
        </Space>
      </Flex>

      {snapshots.error ? (
        <QueryError error={snapshots.error} onRetry={() => void snapshots.refetch()} />
      ) : snapshots.isPending ? (
        <Skeleton active />
      ) : !snapshot ? (
        <Card>
          <Empty description={t('kpi.empty', { month })} data-testid="kpi-empty" />
        </Card>
      ) : (
        <>
          <Card
            data-testid="kpi-snapshot"
            title={
              <Space wrap>
                {t('kpi.snapshot.title', { month: snapshot.month })}
                <Tag
                  color={snapshot.status === 'signed' ? 'green' : 'blue'}
                  data-testid="kpi-snapshot-status"
                >
                  {t(`kpi.snapshot.status.${snapshot.status}`)}
                </Tag>
                {snapshot.supersededById && <Tag>{t('kpi.snapshot.superseded')}</Tag>}
              </Space>
            }
            extra={
              <Space>
                {list.length > 1 && (
                  <Select
                    size="small"
                    value={snapshot.id}
                    onChange={setChosen}
                    style={{ minWidth: 220 }}
                    options={list.map((s) => ({
                      value: s.id,
                      label: `${formatDate(s.computedAt)} · ${t(`kpi.snapshot.status.${s.status}`)}`,
                    }))}
                    data-testid="kpi-snapshot-select"
                  />
                )}
                {mayAssess && snapshot.status === 'draft' && (
                  <Button type="primary" onClick={() => setSigning(true)} data-testid="kpi-sign">
                    {t('kpi.sign.button')}
                  </Button>
                )}
                {mayAssess && snapshot.status === 'signed' && !snapshot.supersededById && (
                  <Button onClick={() => setCorrecting(true)} data-testid="kpi-correct">
                    {t('kpi.correct.button')}
                  </Button>
                )}
              </Space>
            }
          >
            <Descriptions
              size="small"
              column={{ xs: 1, md: 3 }}
              items={[
                {
                  key: 'computed',
                  label: t('kpi.snapshot.computed'),
                  children: `${formatDate(snapshot.computedAt)} · ${snapshot.computedBy?.name ?? t(`kpi.snapshot.source.${snapshot.source}`)}`,
                },
                {
                  key: 'revision',
                  label: t('kpi.snapshot.revision'),
                  children: `${snapshot.revision} · ${t('kpi.snapshot.targetVersion', { version: snapshot.targetVersion })}`,
                },
                {
                  key: 'signed',
                  label: t('kpi.snapshot.signed'),
                  children: snapshot.signedAt
                    ? `${formatDate(snapshot.signedAt)} · ${snapshot.signedBy?.name ?? ''}${snapshot.signNote ? ` · ${snapshot.signNote}` : ''}`
                    : t('kpi.snapshot.unsigned'),
                },
              ]}
            />
            {snapshot.correctionReason && (
              <Alert
                style={{ marginTop: 8 }}
                type="info"
                showIcon
                title={t('kpi.snapshot.correction', { reason: snapshot.correctionReason })}
              />
            )}
            <div style={{ marginTop: 12 }}>
              <Outcomes snapshot={snapshot} />
            </div>
          </Card>

          <Card>
            <Tabs
              items={[
                {
                  key: 'agents',
                  label: t('kpi.tabs.agents'),
                  children: (
                    <Table<KpiAgentRow>
                      rowKey="userId"
                      size="small"
                      columns={agentColumns}
                      dataSource={snapshot.results.agents}
                      pagination={PAGED_ROWS}
                      scroll={{ x: 'max-content' }}
                      data-testid="kpi-agents"
                      onRow={(a) => ({ 'data-name': a.name }) as object}
                    />
                  ),
                },
                {
                  key: 'teams',
                  label: t('kpi.tabs.teams'),
                  children: (
                    <Table<KpiTeamRow>
                      rowKey="teamId"
                      size="small"
                      columns={teamColumns}
                      dataSource={snapshot.results.teams}
                      pagination={PAGED_ROWS}
                      scroll={{ x: 'max-content' }}
                      data-testid="kpi-teams"
                    />
                  ),
                },
              ]}
            />
            <Typography.Text type="secondary">{t('kpi.legend')}</Typography.Text>
          </Card>

          <SignModal snapshot={snapshot} open={signing} onClose={() => setSigning(false)} />
          <CorrectModal
            snapshot={snapshot}
            open={correcting}
            onClose={() => setCorrecting(false)}
          />
        </>
      )}

      <Card
        title={t('kpi.trend.title')}
        extra={
          <Typography.Text type="secondary" data-testid="kpi-trend-subject">
            {subject.name ?? me?.name ?? ''}
          </Typography.Text>
        }
      >
        {trend.error ? (
          <QueryError error={trend.error} onRetry={() => void trend.refetch()} />
        ) : !trend.data ? (
          <Skeleton active />
        ) : trend.data.every((p) => p.snapshotId === null) ? (
          <Empty description={t('kpi.trend.empty')} />
        ) : (
          <>
            <ChartTableToggle value={trendShown} onChange={setTrendShown} testId="kpi-trend-view" />
            {trendShown === 'table' ? (
              <KpiTrendTable points={trend.data} />
            ) : (
              <Suspense fallback={<Skeleton active />}>
                <KpiTrendChart points={trend.data} targets={snapshot?.results.targets} />
              </Suspense>
            )}
          </>
        )}
      </Card>
    </Flex>
  );
}
