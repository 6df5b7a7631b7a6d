import { useState } from 'react';
import { Card, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSurveyResponses, type ResponseFilter, type SurveyResponse } from '../../api/surveys';
import { LoadMore } from '../../layout/LoadMore';
import { useFormatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/usePageTitle';
import { ScoreTag } from './TicketSurveyCard';

/** `/surveys` — survey answers with filters (agents: their own; supervisors: team; admins: all). */
export function SurveyAnswersPage() {
  const { t } = useTranslation();
  usePageTitle(t('surveys.list.title'));
  const formatDate = useFormatDateTime();
  const [filter, setFilter] = useState<ResponseFilter>({});
  const list = useSurveyResponses(filter);
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Card title={t('surveys.list.title')}>
      <Flex gap={8} wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder={t('surveys.list.kind')}
          style={{ width: 160 }}
          value={filter.kind}
          onChange={(kind) => setFilter((f) => ({ ...f, kind }))}
          options={(['ticket', 'campaign'] as const).map((k) => ({
            value: k,
            label: t(`surveys.kind.${k}`),
          }))}
          data-testid="survey-filter-kind"
        />
        <Select
          allowClear
          placeholder={t('surveys.list.status')}
          style={{ width: 160 }}
          value={filter.status}
          onChange={(status) => setFilter((f) => ({ ...f, status }))}
          options={(['answered', 'unanswered', 'low'] as const).map((k) => ({
            value: k,
            label: t(`surveys.filter.${k}`),
          }))}
          data-testid="survey-filter-status"
        />
        <Input
          allowClear
          placeholder="YYYY-MM"
          style={{ width: 140 }}
          onChange={(e) => {
            const v = e.target.value.trim();
            if (v === '' || /^\d{4}-(0[1-9]|1[0-2])$/.test(v))
              setFilter((f) => ({ ...f, month: v || undefined }));
          }}
          data-testid="survey-filter-month"
        />
      </Flex>
      <Table<SurveyResponse>
        rowKey="id"
        size="small"
        loading={list.isPending}
        pagination={false}
        dataSource={rows}
        scroll={{ x: 800 }}
        data-testid="survey-answers"
        columns={[
          {
            key: 'ticket',
            title: t('surveys.fields.ticket'),
            render: (_, r) =>
              r.ticket ? (
                <Link to={`/tickets/${r.ticket.id}`}>
                  {r.ticket.number} {r.ticket.subject}
                </Link>
              ) : (
                <Tag>
                  {t('surveys.kind.campaign')} {r.periodMonth.slice(0, 7)}
                </Tag>
              ),
          },
          {
            key: 'agent',
            title: t('surveys.fields.agent'),
            render: (_, r) => r.agent?.name ?? '—',
          },
          { key: 'score', title: t('surveys.fields.score'), render: (_, r) => <ScoreTag r={r} /> },
          {
            key: 'solved',
            title: t('surveys.fields.solved'),
            render: (_, r) =>
              r.solved === null ? '—' : t(r.solved ? 'surveys.yes' : 'surveys.no'),
          },
          {
            key: 'comment',
            title: t('surveys.fields.comment'),
            render: (_, r) => (
              <Typography.Text ellipsis style={{ maxWidth: 240 }}>
                {r.comment ?? ''}
              </Typography.Text>
            ),
          },
          {
            key: 'sent',
            title: t('surveys.fields.sentAt'),
            render: (_, r) => formatDate(r.sentAt),
          },
        ]}
      />
      <LoadMore query={list} />
    </Card>
  );
}
