import { useState } from 'react';
import { App, Button, Collapse, Flex, List, Space, Tag, Typography } from 'antd';
import { BookOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  fetchKbArticleLive,
  useCiteArticle,
  useKbSuggestions,
  type CitationMode,
  type SearchHit,
} from '../../../api/kb';
import type { Ticket } from '../../../api/ticketTypes';
import { useApiErrorHandler } from '../../../lib/errors';
import { renderMarkdown } from '../../knowledge/Markdown';
import { Snippet } from '../../knowledge/Snippet';

/** Longest excerpt inserted into a reply, in characters. */
const EXCERPT_LENGTH = 300;

function plainText(markdown: string): string {
  const doc = new DOMParser().parseFromString(renderMarkdown(markdown), 'text/html');
  return (doc.body.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Articles suggested for the ticket (from its subject and description): the agent inserts a
 * link (public articles only: the customer follows it to the help centre) or an excerpt into
 * the reply, and the ticket records which article version it cited.
 */
export function CiteArticles({
  ticket,
  onInsert,
}: {
  ticket: Ticket;
  onInsert: (text: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const suggestions = useKbSuggestions(`${ticket.subject} ${ticket.description}`, open);
  const cite = useCiteArticle();
  const onError = useApiErrorHandler();
  const [busy, setBusy] = useState<string | null>(null);

  const insert = async (hit: SearchHit, mode: CitationMode) => {
    setBusy(`${hit.id}:${mode}`);
    try {
      let text: string;
      if (mode === 'link') {
        text = `${hit.title}: ${window.location.origin}/help/articles/${hit.id}`;
      } else {
        const live = await fetchKbArticleLive(hit.id);
        const body = plainText(live?.body ?? '');
        text = body.length > EXCERPT_LENGTH ? `${body.slice(0, EXCERPT_LENGTH)}…` : body;
      }
      await cite.mutateAsync({ ticketId: ticket.id, articleId: hit.id, mode });
      onInsert(text);
      void message.success(t('kb.cite.inserted'));
    } catch (error) {
      onError(error);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Collapse
      size="small"
      ghost
      activeKey={open ? ['suggestions'] : []}
      onChange={(keys) => setOpen(keys.length > 0)}
      data-testid="kb-suggestions"
      items={[
        {
          key: 'suggestions',
          label: (
            <Space>
              <BookOutlined />
              {t('kb.cite.title')}
            </Space>
          ),
          children: (
            <List
              size="small"
              loading={suggestions.isFetching}
              locale={{ emptyText: t('kb.cite.none') }}
              dataSource={suggestions.data ?? []}
              renderItem={(hit) => (
                <List.Item
                  key={hit.id}
                  data-testid="kb-suggestion"
                  actions={[
                    <Button
                      key="link"
                      size="small"
                      disabled={hit.audience !== 'all_customers'}
                      title={
                        hit.audience !== 'all_customers' ? t('kb.cite.linkInternal') : undefined
                      }
                      loading={busy === `${hit.id}:link`}
                      onClick={() => void insert(hit, 'link')}
                      data-testid="kb-cite-link"
                    >
                      {t('kb.cite.insertLink')}
                    </Button>,
                    <Button
                      key="excerpt"
                      size="small"
                      loading={busy === `${hit.id}:excerpt`}
                      onClick={() => void insert(hit, 'excerpt')}
                      data-testid="kb-cite-excerpt"
                    >
                      {t('kb.cite.insertExcerpt')}
                    </Button>,
                  ]}
                >
                  <Flex vertical>
                    <Space>
                      <a href={`/knowledge/articles/${hit.id}`} target="_blank" rel="noreferrer">
                        {hit.title}
                      </a>
                      {hit.audience !== 'all_customers' && (
                        <Tag color="gold">{t('kb.cite.internal')}</Tag>
                      )}
                    </Space>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      <Snippet parts={hit.snippet} />
                    </Typography.Text>
                  </Flex>
                </List.Item>
              )}
            />
          ),
        },
      ]}
    />
  );
}
