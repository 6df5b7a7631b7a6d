import { Empty, List, Space, Spin, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useArticleCitations } from '../../api/kb';
import { useFormatDateTime } from '../../lib/format';
import { QueryError } from '../errors/QueryError';

/** Tickets citing an article: how many, and the most recent with the version they cited. */
export function CitationsTab({ articleId }: { articleId: string }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const citations = useArticleCitations(articleId);
  if (citations.isError)
    return <QueryError error={citations.error} onRetry={() => void citations.refetch()} />;
  if (!citations.data) return <Spin />;
  const { ticketCount, citationCount, recent } = citations.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="kb-citations">
      <Space size={48}>
        <Statistic
          title={t('kb.citations.tickets')}
          value={ticketCount}
          data-testid="kb-citations-tickets"
        />
        <Statistic title={t('kb.citations.citations')} value={citationCount} />
      </Space>
      {recent.length === 0 ? (
        <Empty description={t('kb.citations.none')} />
      ) : (
        <List
          header={t('kb.citations.recent')}
          dataSource={recent}
          renderItem={(c) => (
            <List.Item key={`${c.ticketId}-${c.at}`}>
              <Space wrap>
                <Link to={`/tickets/${c.ticketId}`}>{c.ticketNumber}</Link>
                <Typography.Text>{c.subject}</Typography.Text>
                <Tag>v{c.versionNumber}</Tag>
                <Tag>{t(`kb.citations.modes.${c.mode}`)}</Tag>
                <Typography.Text type="secondary">
                  {c.citedBy.name} · {formatDate(c.at)}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
    </Space>
  );
}
