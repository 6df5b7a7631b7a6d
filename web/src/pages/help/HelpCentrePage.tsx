import { useState } from 'react';
import { Col, Empty, Input, Row, Spin, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useHelpArticles, useHelpCategories } from '../../api/kb';
import { usePageTitle } from '../../lib/usePageTitle';
import { Snippet } from '../knowledge/Snippet';
import { HelpLayout } from './HelpLayout';

/** /help — public help centre: search and browse articles published for customers. */
export function HelpCentrePage() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
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
      {/* Plain lists rather than antd Card and List: those bring tabs, menus, pagination and
          selects along, and this is the first page a customer loads (issue 10: ≤ 200 KB). */}
      <Row gutter={24}>
        <Col xs={24} md={7}>
          <nav
            aria-label={t('kb.help.categories')}
            style={{
              border: `1px solid ${token.colorBorderSecondary}`,
              borderRadius: token.borderRadiusLG,
              background: token.colorBgContainer,
              marginBottom: 16,
            }}
          >
            <div
              style={{
                padding: '8px 12px',
                fontWeight: 600,
                borderBottom: `1px solid ${token.colorBorderSecondary}`,
              }}
            >
              {t('kb.help.categories')}
            </div>
            <ul style={{ listStyle: 'none', margin: 0, padding: '0 12px' }}>
              {(categories.data ?? []).map((c, i) => (
                <li
                  key={c.id}
                  style={i ? { borderTop: `1px solid ${token.colorSplit}` } : undefined}
                >
                  <button
                    type="button"
                    onClick={() => {
                      setQ('');
                      setCategoryId(c.id);
                    }}
                    aria-pressed={c.id === categoryId}
                    style={{
                      all: 'unset',
                      boxSizing: 'border-box',
                      width: '100%',
                      padding: '8px 0',
                      cursor: 'pointer',
                      fontWeight: c.id === categoryId ? 600 : undefined,
                    }}
                  >
                    {c.name} <Typography.Text type="secondary">{c.articleCount}</Typography.Text>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
        </Col>
        <Col xs={24} md={17}>
          {!q && !categoryId ? (
            <Empty description={t('kb.help.pick')} />
          ) : (
            <div data-testid="help-results">
              <Spin spinning={articles.isPending}>
                {articles.data?.length ? (
                  <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                    {articles.data.map((a, i) => (
                      <li
                        key={a.id}
                        style={{
                          padding: '12px 0',
                          borderTop: i ? `1px solid ${token.colorSplit}` : undefined,
                        }}
                      >
                        <div style={{ fontSize: token.fontSizeLG, marginBottom: 4 }}>
                          <Link
                            to={`/help/articles/${a.id}${q ? `?q=${encodeURIComponent(q)}` : ''}`}
                          >
                            {a.title}
                          </Link>
                        </div>
                        {a.snippet.length ? (
                          <Typography.Text type="secondary">
                            <Snippet parts={a.snippet} />
                          </Typography.Text>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <Empty
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    style={{ minHeight: articles.isPending ? 80 : undefined }}
                  />
                )}
              </Spin>
            </div>
          )}
        </Col>
      </Row>
    </HelpLayout>
  );
}
