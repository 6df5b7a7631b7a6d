import { useEffect, useMemo, useState, type ReactElement } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Input,
  InputNumber,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../api/auth';
import {
  useDecideAppeal,
  useDrawSample,
  useFileAppeal,
  useQaAppeals,
  useQaItem,
  useQaItems,
  useQaReport,
  useQaResults,
  useSaveEvaluation,
  type AppealView,
  type Criterion,
  type Finding,
  type ItemDetail,
  type QaResult,
} from '../../api/qa';
import { useApiErrorHandler } from '../../lib/errors';
import { useFormatDateTime } from '../../lib/format';
import { PAGED_ROWS } from '../../lib/tables';
import { usePageTitle } from '../../lib/usePageTitle';
import { Forbidden } from '../errors/Forbidden';

/** Mondays (YYYY-MM-DD, local) of this week and the weeks before. */
function recentWeeks(n: number): string[] {
  const d = new Date();
  d.setHours(12, 0, 0, 0);
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  return Array.from({ length: n }, (_, i) => {
    const w = new Date(d);
    w.setDate(d.getDate() - 7 * i);
    return `${w.getFullYear()}-${String(w.getMonth() + 1).padStart(2, '0')}-${String(w.getDate()).padStart(2, '0')}`;
  });
}

function useCriterionLabel() {
  const { i18n } = useTranslation();
  return (c: Criterion | undefined, key: string) =>
    c ? (i18n.language.startsWith('en') && c.labelEn ? c.labelEn : c.label) : key;
}

/** Quality inspection: the inspector's workspace, an agent's results and appeals, reports. */
export function QaPage() {
  const { t } = useTranslation();
  usePageTitle(t('qa.title'));
  const can = useAbilities();
  if (!can('qa.read')) return <Forbidden />;
  const tabs = [
    can('qa.inspect') && {
      key: 'workspace',
      label: <span data-testid="qa-tab-workspace">{t('qa.tabs.workspace')}</span>,
      children: <Workspace />,
    },
    can('qa.results') && {
      key: 'results',
      label: <span data-testid="qa-tab-results">{t('qa.tabs.results')}</span>,
      children: <Results />,
    },
    can('qa.decide') && {
      key: 'appeals',
      label: <span data-testid="qa-tab-appeals">{t('qa.tabs.appeals')}</span>,
      children: <Appeals />,
    },
    {
      key: 'report',
      label: <span data-testid="qa-tab-report">{t('qa.tabs.report')}</span>,
      children: <Report />,
    },
  ].filter((x): x is { key: string; label: ReactElement; children: ReactElement } => !!x);
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('qa.title')}
      </Typography.Title>
      <Tabs items={tabs} destroyOnHidden />
    </Flex>
  );
}

function Workspace() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const items = useQaItems(true);
  const draw = useDrawSample();
  const weeks = useMemo(() => recentWeeks(8), []);
  const [week, setWeek] = useState(weeks[0]!);
  const [selected, setSelected] = useState<string | null>(null);

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={9}>
        <Card
          size="small"
          title={t('qa.queue.title')}
          extra={
            <Space wrap>
              <Select
                size="small"
                value={week}
                onChange={setWeek}
                options={weeks.map((w) => ({ value: w, label: t('qa.weekOf', { week: w }) }))}
                data-testid="qa-draw-week"
                style={{ width: 150 }}
              />
              <Button
                size="small"
                loading={draw.isPending}
                data-testid="qa-draw"
                onClick={() =>
                  draw.mutate(week, {
                    onSuccess: (run) =>
                      void message.success(t('qa.drawn', { count: run.sampled, seed: run.seed })),
                    onError: (e) => onError(e),
                  })
                }
              >
                {t('qa.draw')}
              </Button>
            </Space>
          }
        >
          <Table
            size="small"
            rowKey="id"
            loading={items.isPending}
            dataSource={items.data ?? []}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            data-testid="qa-queue"
            onRow={(r) => ({
              onClick: () => setSelected(r.id),
              onKeyDown: (e) => {
                if (e.key === 'Enter') setSelected(r.id);
              },
              tabIndex: 0,
              'data-testid': `qa-item-${r.ticketNumber}`,
              style: { cursor: 'pointer', background: r.id === selected ? '#e6f4ff' : undefined },
            })}
            columns={[
              { title: t('qa.queue.ticket'), dataIndex: 'ticketNumber' },
              { title: t('qa.queue.agent'), render: (_, r) => r.agent.name },
              {
                title: t('qa.queue.status'),
                render: (_, r) => (
                  <Space size={4} wrap>
                    <Tag color={r.status === 'scored' ? 'green' : r.myEvaluation ? 'gold' : 'blue'}>
                      {r.status === 'scored'
                        ? t('qa.status.scored')
                        : r.myEvaluation === 'draft'
                          ? t('qa.status.draft')
                          : t('qa.status.open')}
                    </Tag>
                    {r.reason !== 'random' && <Tag>{t(`qa.reason.${r.reason}`)}</Tag>}
                    {r.calibration && <Tag color="purple">{t('qa.calibration')}</Tag>}
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} lg={15}>
        {selected ? (
          <ItemPane id={selected} />
        ) : (
          <Card>
            <Empty description={t('qa.pick')} />
          </Card>
        )}
      </Col>
    </Row>
  );
}

function Highlight({ f }: { f: Finding }) {
  if (f.sentence === undefined) return null;
  if (f.start === undefined || f.end === undefined) return <q>{f.sentence}</q>;
  return (
    <q>
      {f.sentence.slice(0, f.start)}
      <mark data-testid="qa-highlight">{f.sentence.slice(f.start, f.end)}</mark>
      {f.sentence.slice(f.end)}
    </q>
  );
}

function ItemPane({ id }: { id: string }) {
  const { t } = useTranslation();
  const q = useQaItem(id);
  const formatDate = useFormatDateTime();
  if (q.isPending) return <Card loading />;
  if (q.error || !q.data) return <Alert type="error" message={t('qa.loadFailed')} />;
  const d = q.data;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <Card size="small" title={`${d.item.ticketNumber} · ${d.item.subject}`}>
          <Typography.Paragraph type="secondary">
            {t('qa.item.meta', {
              agent: d.item.agent.name,
              channel: d.item.channel,
              category: d.item.category,
            })}
          </Typography.Paragraph>
          {d.checks.length > 0 && (
            <Alert
              type="warning"
              style={{ marginBottom: 12 }}
              data-testid="qa-checks"
              message={t('qa.checks.title')}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {d.checks.map((f, i) => (
                    <li key={i}>
                      {f.kind === 'citation_contradiction'
                        ? t(`qa.checks.citation_${f.reason ?? 'differs'}`, {
                            figure: f.figure ?? '',
                            title: f.title ?? '',
                            cited: f.citedVersion ?? '',
                            current: f.currentVersion ?? '',
                          })
                        : t(`qa.checks.${f.kind}`, {
                            phrase: f.phrase ?? '',
                            target: f.target ?? '',
                            due: formatDate(f.dueAt ?? null),
                          })}{' '}
                      <Highlight f={f} />
                      {f.kind === 'citation_contradiction' && (
                        <div data-testid="qa-citation-evidence">
                          {t('qa.checks.citation_current', {
                            figures: (f.currentFigures ?? []).join('、'),
                          })}{' '}
                          <q>{f.currentSentence}</q>
                        </div>
                      )}
                    </li>
                  ))}
                </ul>
              }
            />
          )}
          <Timeline
            data-testid="qa-timeline"
            items={d.timeline.map((e) => ({
              color: e.kind === 'reply' ? 'blue' : e.kind === 'note' ? 'gray' : 'green',
              children: (
                <div>
                  <Typography.Text type="secondary">
                    {formatDate(e.at)} · {e.actorName ?? ''} · {t(`qa.event.${e.kind}`)}
                  </Typography.Text>
                  {e.body && (
                    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                      {e.body}
                    </Typography.Paragraph>
                  )}
                </div>
              ),
            }))}
          />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <ScorePane key={d.item.id} detail={d} />
      </Col>
    </Row>
  );
}

function ScorePane({ detail }: { detail: ItemDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const label = useCriterionLabel();
  const save = useSaveEvaluation();
  const mine = detail.evaluations.find((e) => e.status === 'draft' || e.status === 'submitted');
  const submitted = mine?.status === 'submitted';
  const [scores, setScores] = useState<Record<string, number>>(mine?.scores ?? {});
  const [comments, setComments] = useState<Record<string, string>>(mine?.comments ?? {});
  const [summary, setSummary] = useState(mine?.summary ?? '');
  const criteria = detail.scorecard.criteria;

  const run = (submit: boolean) =>
    save.mutate(
      { itemId: detail.item.id, scores, comments, summary, submit },
      {
        onSuccess: (e) =>
          void message.success(
            submit ? t('qa.score.submitted', { total: e.total }) : t('qa.score.saved'),
          ),
        onError: (e) => onError(e),
      },
    );
  // Keyboard: Ctrl/⌘+S saves a draft, Ctrl/⌘+Enter submits.
  useEffect(() => {
    if (submitted) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      if (e.key === 's') {
        e.preventDefault();
        run(false);
      } else if (e.key === 'Enter') {
        e.preventDefault();
        run(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <Card
      size="small"
      title={t('qa.score.title', { version: detail.scorecard.version })}
      extra={
        mine?.total !== null && mine?.total !== undefined ? (
          <Tag color={mine.criticalFailed ? 'red' : 'green'} data-testid="qa-total">
            {t('qa.score.total', { total: mine.total })}
          </Tag>
        ) : null
      }
    >
      <Flex vertical gap={12}>
        {criteria.map((c) => (
          <div key={c.key}>
            <Typography.Text strong>
              {label(c, c.key)}{' '}
              <Typography.Text type="secondary">
                {c.critical ? t('qa.score.critical') : t('qa.score.weight', { weight: c.weight })}
              </Typography.Text>
            </Typography.Text>
            <div>
              <Radio.Group
                disabled={submitted}
                value={scores[c.key]}
                onChange={(e) => setScores({ ...scores, [c.key]: Number(e.target.value) })}
                optionType="button"
                size="small"
                aria-label={label(c, c.key)}
              >
                {Array.from({ length: c.scale + 1 }, (_, v) => (
                  <Radio.Button key={v} value={v} data-testid={`qa-score-${c.key}-${v}`}>
                    {c.critical ? (v === 1 ? t('qa.score.pass') : t('qa.score.fail')) : v}
                  </Radio.Button>
                ))}
              </Radio.Group>
            </div>
            <Input
              size="small"
              disabled={submitted}
              placeholder={t('qa.score.comment')}
              value={comments[c.key] ?? ''}
              onChange={(e) => setComments({ ...comments, [c.key]: e.target.value })}
              data-testid={`qa-comment-${c.key}`}
              style={{ marginTop: 4 }}
            />
          </div>
        ))}
        <Input.TextArea
          disabled={submitted}
          rows={2}
          placeholder={t('qa.score.summary')}
          value={summary}
          onChange={(e) => setSummary(e.target.value)}
        />
        {!submitted && (
          <Space wrap>
            <Button onClick={() => run(false)} loading={save.isPending} data-testid="qa-save">
              {t('qa.score.save')}
            </Button>
            <Button
              type="primary"
              onClick={() => run(true)}
              loading={save.isPending}
              data-testid="qa-submit"
            >
              {t('qa.score.submit')}
            </Button>
            <Typography.Text type="secondary">{t('qa.score.keys')}</Typography.Text>
          </Space>
        )}
        {detail.spread !== null && (
          <Typography.Text>{t('qa.spread', { spread: detail.spread })}</Typography.Text>
        )}
      </Flex>
    </Card>
  );
}

function Results() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const formatDate = useFormatDateTime();
  const label = useCriterionLabel();
  const results = useQaResults(true);
  const file = useFileAppeal();
  const [appealing, setAppealing] = useState<QaResult | null>(null);
  const [reason, setReason] = useState('');
  return (
    <>
      <Table
        rowKey={(r) => r.evaluation.id}
        size="small"
        loading={results.isPending}
        dataSource={results.data ?? []}
        data-testid="qa-results"
        scroll={{ x: true }}
        expandable={{
          expandedRowRender: (r) => (
            <ul style={{ margin: 0 }}>
              {r.criteria.map((c) => (
                <li key={c.key}>
                  {label(c, c.key)}: {r.evaluation.scores[c.key] ?? '–'}/{c.scale}
                  {r.evaluation.comments[c.key] ? ` — ${r.evaluation.comments[c.key]}` : ''}
                </li>
              ))}
            </ul>
          ),
        }}
        columns={[
          { title: t('qa.queue.ticket'), dataIndex: 'ticketNumber' },
          { title: t('qa.results.week'), dataIndex: 'weekStart' },
          {
            title: t('qa.results.total'),
            render: (_, r) => (
              <span data-testid={`qa-result-total-${r.ticketNumber}`}>
                {r.finalTotal}
                {r.finalTotal !== r.evaluation.total ? ` (${r.evaluation.total})` : ''}
              </span>
            ),
          },
          {
            title: t('qa.results.deadline'),
            render: (_, r) => formatDate(r.evaluation.appealDeadline),
          },
          {
            title: t('qa.results.appeal'),
            render: (_, r) =>
              r.appeal ? (
                <Tag data-testid={`qa-appeal-status-${r.ticketNumber}`}>
                  {t(`qa.appealStatus.${r.appeal.status}`)}
                </Tag>
              ) : r.canAppeal ? (
                <Button
                  size="small"
                  data-testid={`qa-appeal-${r.ticketNumber}`}
                  onClick={() => {
                    setReason('');
                    setAppealing(r);
                  }}
                >
                  {t('qa.results.appealAction')}
                </Button>
              ) : (
                t('qa.results.closed')
              ),
          },
        ]}
      />
      <Modal
        open={!!appealing}
        title={t('qa.results.appealTitle', { ticket: appealing?.ticketNumber ?? '' })}
        onCancel={() => setAppealing(null)}
        okButtonProps={{ disabled: !reason.trim(), 'data-testid': 'qa-appeal-confirm' }}
        confirmLoading={file.isPending}
        onOk={() =>
          appealing &&
          file.mutate(
            { evaluationId: appealing.evaluation.id, reason },
            {
              onSuccess: () => {
                void message.success(t('qa.results.appealed'));
                setAppealing(null);
              },
              onError: (e) => onError(e),
            },
          )
        }
      >
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('qa.results.reason')}
          data-testid="qa-appeal-reason"
        />
      </Modal>
    </>
  );
}

function Appeals() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const appeals = useQaAppeals(true);
  const decide = useDecideAppeal();
  const [open, setOpen] = useState<AppealView | null>(null);
  const [decision, setDecision] = useState<'upheld' | 'rejected'>('rejected');
  const [revised, setRevised] = useState<number | null>(null);
  const [note, setNote] = useState('');
  return (
    <>
      <Table
        rowKey="id"
        size="small"
        loading={appeals.isPending}
        dataSource={appeals.data ?? []}
        data-testid="qa-appeals"
        scroll={{ x: true }}
        columns={[
          { title: t('qa.queue.ticket'), dataIndex: 'ticketNumber' },
          { title: t('qa.queue.agent'), render: (_, r) => r.agent.name },
          { title: t('qa.results.total'), render: (_, r) => r.evaluation.total },
          { title: t('qa.appeals.reason'), dataIndex: 'reason' },
          {
            title: t('qa.appeals.decision'),
            render: (_, r) =>
              r.status === 'pending' ? (
                <Button
                  size="small"
                  data-testid={`qa-decide-${r.ticketNumber}`}
                  onClick={() => {
                    setOpen(r);
                    setDecision('rejected');
                    setRevised(r.evaluation.total);
                    setNote('');
                  }}
                >
                  {t('qa.appeals.decide')}
                </Button>
              ) : (
                <span>
                  <Tag>{t(`qa.appealStatus.${r.status}`)}</Tag>
                  {r.revisedTotal !== null ? r.revisedTotal : ''} {r.decisionNote}
                </span>
              ),
          },
        ]}
      />
      <Modal
        open={!!open}
        title={t('qa.appeals.decide')}
        onCancel={() => setOpen(null)}
        okButtonProps={{ disabled: !note.trim(), 'data-testid': 'qa-decide-confirm' }}
        onOk={() =>
          open &&
          decide.mutate(
            {
              id: open.id,
              decision,
              note,
              ...(decision === 'upheld' && revised !== null ? { revisedTotal: revised } : {}),
            },
            {
              onSuccess: () => {
                void message.success(t('qa.appeals.decided'));
                setOpen(null);
              },
              onError: (e) => onError(e),
            },
          )
        }
      >
        <Flex vertical gap={8}>
          <Typography.Paragraph>{open?.reason}</Typography.Paragraph>
          <Radio.Group value={decision} onChange={(e) => setDecision(e.target.value)}>
            <Radio value="upheld">{t('qa.appealStatus.upheld')}</Radio>
            <Radio value="rejected">{t('qa.appealStatus.rejected')}</Radio>
          </Radio.Group>
          {decision === 'upheld' && (
            <InputNumber
              min={0}
              max={100}
              value={revised}
              onChange={(v) => setRevised(v)}
              addonBefore={t('qa.appeals.revised')}
            />
          )}
          <Input.TextArea
            rows={2}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t('qa.appeals.note')}
          />
        </Flex>
      </Modal>
    </>
  );
}

function Report() {
  const { t } = useTranslation();
  const weeks = useMemo(() => recentWeeks(12), []);
  const [week, setWeek] = useState(weeks[0]!);
  const report = useQaReport(week);
  const failed = (list: { key: string; count: number }[]) =>
    list.map((f) => `${t(`qa.criteria.${f.key}`, { defaultValue: f.key })} ×${f.count}`).join('、');
  const trend = (avg: number | null, prev: number | null) =>
    avg === null || prev === null
      ? ''
      : avg >= prev
        ? ` ▲${(avg - prev).toFixed(1)}`
        : ` ▼${(prev - avg).toFixed(1)}`;
  const columns = [
    { title: t('qa.report.count'), dataIndex: 'count' },
    {
      title: t('qa.report.average'),
      render: (_: unknown, r: { average: number | null; previousAverage: number | null }) =>
        `${r.average ?? '–'}${trend(r.average, r.previousAverage)}`,
    },
    { title: t('qa.report.critical'), dataIndex: 'criticalFails' },
    {
      title: t('qa.report.mostFailed'),
      render: (_: unknown, r: { mostFailed: { key: string; count: number }[] }) =>
        failed(r.mostFailed),
    },
  ];
  return (
    <Flex vertical gap={12}>
      <Select
        value={week}
        onChange={setWeek}
        options={weeks.map((w) => ({ value: w, label: t('qa.weekOf', { week: w }) }))}
        style={{ width: 180 }}
        data-testid="qa-report-week"
      />
      <Card size="small" title={t('qa.report.agents')}>
        <Table
          size="small"
          rowKey="userId"
          loading={report.isPending}
          dataSource={report.data?.agents ?? []}
          pagination={PAGED_ROWS}
          scroll={{ x: true }}
          data-testid="qa-report-agents"
          columns={[{ title: t('qa.queue.agent'), dataIndex: 'name' }, ...columns]}
        />
      </Card>
      <Card size="small" title={t('qa.report.teams')}>
        <Table
          size="small"
          rowKey="teamId"
          dataSource={report.data?.teams ?? []}
          pagination={PAGED_ROWS}
          scroll={{ x: true }}
          columns={[{ title: t('qa.report.team'), dataIndex: 'name' }, ...columns]}
        />
      </Card>
      {(report.data?.calibration.length ?? 0) > 0 && (
        <Card size="small" title={t('qa.report.calibration')}>
          <Table
            size="small"
            rowKey="itemId"
            dataSource={report.data?.calibration ?? []}
            pagination={false}
            columns={[
              { title: t('qa.queue.ticket'), dataIndex: 'ticketNumber' },
              { title: t('qa.report.totals'), render: (_, r) => r.totals.join(' / ') },
              { title: t('qa.report.spread'), dataIndex: 'spread' },
            ]}
          />
        </Card>
      )}
    </Flex>
  );
}
