import { useState } from 'react';
import { Badge, Button, Card, Flex, Input, List, Select, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAbilities } from '../../api/auth';
import {
  ARTICLE_TYPES,
  type VersionStatus,
  useDueForReview,
  useKbArticles,
  useKbAwaitingMe,
  useKbCategories,
  useKbSearch,
  type KbArticle,
} from '../../api/kb';
import { LoadMore } from '../../layout/LoadMore';
import { usePageTitle } from '../../lib/usePageTitle';
import { QueryError } from '../errors/QueryError';
import { FeedbackQueue } from './FeedbackQueue';
import { STATUS_COLORS, useKbLabels } from './labels';
import { NewArticleModal } from './NewArticleModal';
import { Snippet } from './Snippet';

const STATUS_FILTER: VersionStatus[] = [
  'draft',
  'submitted',
  'initial_review',
  'second_review',
  'final_approval',
  'published',
];

function ArticleTable({
  rows,
  loading,
  empty,
}: {
  rows: KbArticle[];
  loading: boolean;
  empty?: string;
}) {
  const { t } = useTranslation();
  const label = useKbLabels();
  const categories = useKbCategories();
  const categoryName = (id: string) => categories.data?.find((c) => c.id === id)?.name ?? '';
  const columns: TableColumnsType<KbArticle> = [
    {
      title: t('kb.fields.title'),
      key: 'title',
      render: (_, a) => (
        <Link to={`/knowledge/articles/${a.id}`} data-testid="kb-article-link">
          {a.title}
        </Link>
      ),
    },
    {
      title: t('kb.fields.type'),
      key: 'type',
      responsive: ['sm'],
      render: (_, a) => label.type(a.type),
    },
    {
      title: t('kb.fields.category'),
      key: 'category',
      responsive: ['md'],
      render: (_, a) => categoryName(a.categoryId),
    },
    {
      title: t('kb.fields.language'),
      dataIndex: 'language',
      key: 'language',
      responsive: ['xl'],
    },
    {
      title: t('kb.fields.status'),
      key: 'status',
      render: (_, a) => (
        <Flex gap={4} wrap>
          <Tag color={STATUS_COLORS[a.status]}>{label.status(a.status)}</Tag>
          {a.urgentRevision && <Tag color="red">{t('kb.urgent')}</Tag>}
          {a.dueForReview && !a.urgentRevision && <Tag color="orange">{t('kb.due')}</Tag>}
        </Flex>
      ),
    },
    {
      title: t('kb.fields.nextStep'),
      key: 'nextStep',
      responsive: ['lg'],
      render: (_, a) =>
        a.nextStep && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {label.nextStep(a.nextStep)}
          </Typography.Text>
        ),
    },
    {
      title: t('kb.fields.nextReviewAt'),
      dataIndex: 'nextReviewAt',
      key: 'next',
      responsive: ['md'],
    },
  ];
  return (
    <Table<KbArticle>
      rowKey="id"
      size="small"
      locale={empty ? { emptyText: empty } : undefined}
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={false}
      data-testid="kb-articles"
    />
  );
}

function ArticlesTab() {
  const { t } = useTranslation();
  const label = useKbLabels();
  const [q, setQ] = useState('');
  const [type, setType] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const articles = useKbArticles({ type, status });
  const search = useKbSearch(q);
  return (
    <>
      <Flex gap={8} wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('kb.searchPlaceholder')}
          onSearch={setQ}
          style={{ maxWidth: 420 }}
          data-testid="kb-search"
        />
        <Select
          allowClear
          placeholder={t('kb.fields.type')}
          style={{ width: 160 }}
          value={type}
          onChange={setType}
          options={ARTICLE_TYPES.map((v) => ({ value: v, label: label.type(v) }))}
        />
        <Select
          allowClear
          placeholder={t('kb.fields.status')}
          style={{ width: 180 }}
          value={status}
          onChange={setStatus}
          options={STATUS_FILTER.map((v) => ({ value: v, label: label.status(v) }))}
          data-testid="kb-status-filter"
        />
      </Flex>
      {q ? (
        <List
          loading={search.isPending}
          dataSource={search.data ?? []}
          data-testid="kb-search-results"
          renderItem={(hit) => (
            <List.Item>
              <List.Item.Meta
                title={<Link to={`/knowledge/articles/${hit.id}`}>{hit.title}</Link>}
                description={<Snippet parts={hit.snippet} />}
              />
              <Tag>{label.audience(hit.audience)}</Tag>
            </List.Item>
          )}
        />
      ) : (
        <>
          {articles.isError && (
            <QueryError error={articles.error} onRetry={() => void articles.refetch()} />
          )}
          <ArticleTable
            rows={articles.data?.pages.flatMap((p) => p.data) ?? []}
            loading={articles.isPending}
          />
          <LoadMore query={articles} />
        </>
      )}
    </>
  );
}

function AwaitingTab() {
  const { t } = useTranslation();
  const awaiting = useKbAwaitingMe();
  return (
    <div data-testid="kb-awaiting">
      <ArticleTable
        rows={awaiting.data ?? []}
        loading={awaiting.isPending}
        empty={t('kb.next.awaitingNone')}
      />
    </div>
  );
}

function DueTab() {
  const due = useDueForReview();
  return <ArticleTable rows={due.data ?? []} loading={due.isPending} />;
}

/** /knowledge — the manual for staff: articles and search, due reviews, feedback queue. */
export function KnowledgePage() {
  const { t } = useTranslation();
  usePageTitle(t('nav.knowledge'));
  const can = useAbilities();
  const [creating, setCreating] = useState(false);
  const due = useDueForReview();
  const awaiting = useKbAwaitingMe();
  const items = [
    { key: 'articles', label: t('kb.tabs.articles'), children: <ArticlesTab /> },
    {
      key: 'awaiting',
      label: (
        <Badge count={awaiting.data?.length ?? 0} size="small" offset={[8, 0]}>
          <span data-testid="kb-tab-awaiting">{t('kb.next.awaitingMe')}</span>
        </Badge>
      ),
      children: <AwaitingTab />,
    },
    {
      key: 'due',
      label: (
        <Badge count={due.data?.length ?? 0} size="small" offset={[8, 0]}>
          {t('kb.tabs.due')}
        </Badge>
      ),
      children: <DueTab />,
    },
  ];
  if (can('kb.feedback.manage'))
    items.push({ key: 'feedback', label: t('kb.tabs.feedback'), children: <FeedbackQueue /> });
  return (
    <Card>
      <Flex justify="space-between" align="center" gap={8} wrap style={{ marginBottom: 8 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('nav.knowledge')}
        </Typography.Title>
        <Flex gap={8}>
          <Link to="/help" target="_blank">
            {t('kb.openHelpCentre')}
          </Link>
          {can('kb.write') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="kb-create"
            >
              {t('kb.create')}
            </Button>
          )}
        </Flex>
      </Flex>
      <Tabs items={items} />
      <NewArticleModal open={creating} onClose={() => setCreating(false)} />
    </Card>
  );
}
