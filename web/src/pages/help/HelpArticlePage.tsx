import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useHelpArticle, useHelpFeedback } from '../../api/kb';
import { usePageTitle } from '../../lib/usePageTitle';
import { Button, Result, Skeleton } from '../../public/ui';
import { Markdown } from '../knowledge/Markdown';
import { HelpLayout } from './HelpLayout';

const CATEGORIES = ['process', 'accuracy', 'guidance', 'attitude'] as const;

function Feedback({ id }: { id: string }) {
  const { t } = useTranslation();
  const send = useHelpFeedback();
  const query = useSearchParams()[0].get('q') ?? undefined;
  const [helpful, setHelpful] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');
  const [category, setCategory] = useState<string | null>(null);
  if (send.isSuccess)
    return (
      <p className="kp-feedback-thanks" role="status">
        {t('kb.help.thanks')}
      </p>
    );
  return (
    <form
      className="kp-feedback"
      data-testid="help-feedback"
      onSubmit={(e) => {
        e.preventDefault();
        if (helpful !== null) send.mutate({ id, helpful, comment, category, query });
      }}
    >
      <div className="kp-actions" role="group" aria-labelledby="kp-helpful">
        <span id="kp-helpful" style={{ alignSelf: 'center' }}>
          {t('kb.help.wasHelpful')}
        </span>
        <Button
          variant={helpful === true ? 'primary' : 'default'}
          aria-pressed={helpful === true}
          onClick={() => setHelpful(true)}
        >
          {t('kb.help.yes')}
        </Button>
        <Button
          variant={helpful === false ? 'primary' : 'default'}
          aria-pressed={helpful === false}
          onClick={() => setHelpful(false)}
        >
          {t('kb.help.no')}
        </Button>
      </div>
      {helpful !== null && (
        <>
          {!helpful && (
            <select
              className="kp-input"
              aria-label={t('kb.feedback.category')}
              value={category ?? ''}
              onChange={(e) => setCategory(e.target.value || null)}
            >
              <option value="">{t('kb.feedback.category')}</option>
              {CATEGORIES.map((v) => (
                <option key={v} value={v}>
                  {t(`kb.feedbackCategories.${v}`)}
                </option>
              ))}
            </select>
          )}
          <textarea
            className="kp-input"
            rows={3}
            maxLength={2000}
            value={comment}
            aria-label={t('kb.feedback.comment')}
            onChange={(e) => setComment(e.target.value)}
          />
          <Button
            type="submit"
            variant="primary"
            busy={send.isPending}
            style={{ alignSelf: 'start' }}
          >
            {t('kb.help.send')}
          </Button>
        </>
      )}
    </form>
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
      {article.isPending && <Skeleton />}
      {article.isError && (
        <div className="kp-card kp-article">
          <Result status="warning" title={t('kb.help.notFound')} />
        </div>
      )}
      {article.data && (
        <article className="kp-card kp-article">
          <h1 data-testid="help-title">{article.data.title}</h1>
          {article.data.translations.length > 0 && (
            <p className="kp-translations">
              {article.data.translations.map((tr) => (
                <Link key={tr.id} to={`/help/articles/${tr.id}`} lang={tr.language}>
                  {tr.language}: {tr.title}
                </Link>
              ))}
            </p>
          )}
          <Markdown source={article.data.body} testId="help-body" />
          <Feedback id={article.data.id} />
        </article>
      )}
    </HelpLayout>
  );
}
