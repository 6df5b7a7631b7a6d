import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useHelpArticles, useHelpCategories } from '../../api/kb';
import { usePageTitle } from '../../lib/usePageTitle';
import { Button } from '../../public/ui';
import { Snippet } from '../knowledge/Snippet';
import { HelpLayout } from './HelpLayout';

/** /help — public help centre: search and browse articles published for customers. */
export function HelpCentrePage() {
  const { t } = useTranslation();
  usePageTitle(t('kb.help.title'));
  const [q, setQ] = useState('');
  const [draft, setDraft] = useState('');
  const [categoryId, setCategoryId] = useState<string | undefined>();
  const categories = useHelpCategories();
  const articles = useHelpArticles(q, q ? undefined : categoryId);
  return (
    <HelpLayout>
      <h1>{t('kb.help.heading')}</h1>
      <form
        role="search"
        className="kp-search"
        data-testid="help-search"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(draft.trim());
        }}
      >
        <input
          type="search"
          className="kp-input"
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            // Clearing the box (its × or by hand) goes back to browsing, like antd's allowClear.
            if (e.target.value === '') setQ('');
          }}
          placeholder={t('kb.help.searchPlaceholder')}
          aria-label={t('kb.help.searchPlaceholder')}
          enterKeyHint="search"
        />
        <Button type="submit" variant="primary" icon="search" aria-label={t('common.search')} />
      </form>
      <div className="kp-help-grid">
        <nav aria-labelledby="kp-categories-title" className="kp-categories">
          <h2 id="kp-categories-title">{t('kb.help.categories')}</h2>
          <ul className="kp-list">
            {(categories.data ?? []).map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className="kp-category"
                  onClick={() => {
                    setQ('');
                    setDraft('');
                    setCategoryId(c.id);
                  }}
                  aria-pressed={c.id === categoryId}
                >
                  {c.name} <span className="kp-secondary">{c.articleCount}</span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <section aria-live="polite">
          {!q && !categoryId ? (
            <p className="kp-empty">{t('kb.help.pick')}</p>
          ) : (
            <div data-testid="help-results" className="kp-busy" aria-busy={articles.isPending}>
              {articles.data?.length ? (
                <ul className="kp-list kp-results">
                  {articles.data.map((a) => (
                    <li key={a.id}>
                      <div className="kp-result-title">
                        <Link
                          to={`/help/articles/${a.id}${q ? `?q=${encodeURIComponent(q)}` : ''}`}
                        >
                          {a.title}
                        </Link>
                      </div>
                      {a.snippet.length ? (
                        <div className="kp-secondary">
                          <Snippet parts={a.snippet} />
                        </div>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="kp-empty">
                  {articles.isPending ? t('common.loading') : t('kb.help.noResults')}
                </p>
              )}
            </div>
          )}
        </section>
      </div>
    </HelpLayout>
  );
}
