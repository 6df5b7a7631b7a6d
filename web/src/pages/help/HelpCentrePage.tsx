import { useState } from 'react';
import { Card, Col, Empty, Input, List, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useHelpArticles, useHelpCategories } from '../../api/kb';
import { usePageTitle } from '../../lib/usePageTitle';
import { Snippet } from '../knowledge/Markdown';
import { HelpLayout } from './HelpLayout';

/** /help — public help centre: search and browse articles published for customers. */
export function HelpCentrePage() {
  const { t } = useTranslation();
  usePageTitle(t('kb.help.title'));
  const [q, setQ] = useState('');
  const [categoryId, setCategoryId] = useState<string | undefined>();
  const categories = useHelpCategories();
  const articles = useHelpArticles(q, q ? undefined : categoryId);
  return (
    <HelpLayout>
      <Typography.Title level={2}>{t('kb.help.heading')}</Typography.Title>
      <Input.Search
        size="large"
        allowClear
        enterButton
        placeholder={t('kb.help.searchPlaceholder')}
        onSearch={setQ}
        data-testid="help-search"
        style={{ marginBottom: 24 }}
      />
      <Row gutter={24}>
        <Col xs={24} md={7}>
          <Card size="small" title={t('kb.help.categories')}>
            <List
              size="small"
              dataSource={categories.data ?? []}
              renderItem={(c) => (
                <List.Item
                  onClick={() => {
                    setQ('');
                    setCategoryId(c.id);
                  }}
                  style={{ cursor: 'pointer', fontWeight: c.id === categoryId ? 600 : undefined }}
                >
                  {c.name} <Typography.Text type="secondary">{c.articleCount}</Typography.Text>
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} md={17}>
          {!q && !categoryId ? (
            <Empty description={t('kb.help.pick')} />
          ) : (
            <List
              loading={articles.isPending}
              dataSource={articles.data ?? []}
              data-testid="help-results"
              renderItem={(a) => (
                <List.Item>
                  <List.Item.Meta
                    title={<Link to={`/help/articles/${a.id}`}>{a.title}</Link>}
                    description={a.snippet.length ? <Snippet parts={a.snippet} /> : null}
                  />
                </List.Item>
              )}
            />
          )}
        </Col>
      </Row>
    </HelpLayout>
  );
}
