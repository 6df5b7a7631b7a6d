import { useState } from 'react';
import { Button, Card, Flex, Input, Result, Select, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useHelpArticle, useHelpFeedback } from '../../api/kb';
import { usePageTitle } from '../../lib/usePageTitle';
import { Markdown } from '../knowledge/Markdown';
import { HelpLayout } from './HelpLayout';

function Feedback({ id }: { id: string }) {
  const { t } = useTranslation();
  const send = useHelpFeedback();
  const query = useSearchParams()[0].get('q') ?? undefined;
  const [helpful, setHelpful] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');
  const [category, setCategory] = useState<string | null>(null);
  if (send.isSuccess)
    return <Typography.Text type="success">{t('kb.help.thanks')}</Typography.Text>;
  return (
    <Flex vertical gap={8} data-testid="help-feedback">
      <Space>
        <Typography.Text>{t('kb.help.wasHelpful')}</Typography.Text>
        <Button type={helpful === true ? 'primary' : 'default'} onClick={() => setHelpful(true)}>
          {t('kb.help.yes')}
        </Button>
        <Button type={helpful === false ? 'primary' : 'default'} onClick={() => setHelpful(false)}>
          {t('kb.help.no')}
        </Button>
      </Space>
      {helpful !== null && (
        <>
          {!helpful && (
            <Select
              allowClear
              placeholder={t('kb.feedback.category')}
              style={{ maxWidth: 240 }}
              onChange={(v: string | undefined) => setCategory(v ?? null)}
              options={['process', 'accuracy', 'guidance', 'attitude'].map((v) => ({
                value: v,
                label: t(`kb.feedbackCategories.${v}`),
              }))}
            />
          )}
          <Input.TextArea
            rows={3}
            maxLength={2000}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <Button
            type="primary"
            style={{ alignSelf: 'start' }}
            loading={send.isPending}
            onClick={() => send.mutate({ id, helpful, comment, category, query })}
          >
            {t('kb.help.send')}
          </Button>
        </>
      )}
    </Flex>
  );
}

/** /help/articles/:id — a public article, rendered safely, with "was this helpful?". */
export function HelpArticlePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const article = useHelpArticle(id);
  usePageTitle(article.data?.title ?? t('kb.help.title'));
  return (
    <HelpLayout>
      <Link to="/help">← {t('kb.help.back')}</Link>
      {article.isPending && <Spin />}
      {article.isError && <Result status="404" title={t('kb.help.notFound')} />}
      {article.data && (
        <Card style={{ marginTop: 16 }}>
          <Typography.Title level={2} style={{ marginTop: 0 }} data-testid="help-title">
            {article.data.title}
          </Typography.Title>
          {article.data.translations.map((tr) => (
            <Link key={tr.id} to={`/help/articles/${tr.id}`} style={{ marginRight: 12 }}>
              {tr.language}: {tr.title}
            </Link>
          ))}
          <Markdown source={article.data.body} testId="help-body" />
          <Feedback id={article.data.id} />
        </Card>
      )}
    </HelpLayout>
  );
}
