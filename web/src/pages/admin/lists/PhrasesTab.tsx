import { Alert, Button, Empty, Flex, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLivePhrases, type LivePhrase } from '../../../api/adminLists';
import { QueryError } from '../../errors/QueryError';

/**
 * Forbidden (禁用语) and required courtesy (礼貌用语) phrases the reply box checks. They belong
 * to script (话术) articles, so they are versioned and reviewed like the manual: this screen lists
 * the live lists with their script and opens the script to change them.
 */
export function PhrasesTab() {
  const { t } = useTranslation();
  const phrases = useLivePhrases();
  const scriptLink = (p: LivePhrase) => (
    <Link to={`/knowledge/articles/${p.articleId}`}>{p.articleTitle}</Link>
  );
  const forbidden: TableColumnsType<LivePhrase> = [
    { title: t('adminLists.phrases.phrase'), dataIndex: 'phrase', key: 'phrase' },
    {
      title: t('adminLists.phrases.suggestion'),
      dataIndex: 'suggestion',
      key: 'suggestion',
      responsive: ['sm'],
    },
    { title: t('adminLists.phrases.script'), key: 'script', render: (_, p) => scriptLink(p) },
  ];
  const required: TableColumnsType<LivePhrase> = [
    { title: t('adminLists.phrases.phrase'), dataIndex: 'phrase', key: 'phrase' },
    { title: t('adminLists.phrases.script'), key: 'script', render: (_, p) => scriptLink(p) },
  ];
  const data = phrases.data;
  const scripts = [
    ...new Map(
      [...(data?.forbidden ?? []), ...(data?.required ?? [])].map((p) => [p.articleId, p]),
    ).values(),
  ];

  return (
    <Flex vertical gap={12}>
      <Alert type="info" showIcon message={t('adminLists.phrases.intro')} />
      {phrases.isError && (
        <QueryError error={phrases.error} onRetry={() => void phrases.refetch()} />
      )}
      {data && scripts.length === 0 && (
        <Empty description={t('adminLists.phrases.none')} data-testid="phrases-empty">
          <Link to="/knowledge">
            <Button type="primary">{t('adminLists.phrases.createScript')}</Button>
          </Link>
        </Empty>
      )}
      {scripts.length > 0 && (
        <Flex gap={8} wrap align="center">
          <Typography.Text>{t('adminLists.phrases.edit')}</Typography.Text>
          {scripts.map((p) => (
            <Link key={p.articleId} to={`/knowledge/articles/${p.articleId}`}>
              <Button size="small" icon={<EditOutlined />} data-testid="phrases-edit-script">
                {p.articleTitle}
              </Button>
            </Link>
          ))}
        </Flex>
      )}
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('adminLists.phrases.forbidden')}
      </Typography.Title>
      <Table<LivePhrase>
        rowKey={(p) => `${p.articleId}:${p.phrase}`}
        size="small"
        columns={forbidden}
        dataSource={data?.forbidden ?? []}
        loading={phrases.isPending}
        pagination={false}
        scroll={{ x: 520 }}
        data-testid="phrases-forbidden"
      />
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('adminLists.phrases.required')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('adminLists.phrases.requiredRule')}</Typography.Text>
      <Table<LivePhrase>
        rowKey={(p) => `${p.articleId}:${p.phrase}`}
        size="small"
        columns={required}
        dataSource={data?.required ?? []}
        loading={phrases.isPending}
        pagination={false}
        scroll={{ x: 520 }}
        data-testid="phrases-required"
      />
    </Flex>
  );
}
