import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../../lib/usePageTitle';
import { Icon } from '../../public/Icon';
import { LanguageButton } from '../../public/ui';

/**
 * The customer-facing frame: no staff navigation, just the brand, a language switch and a card.
 * Plain elements and `public/public.css`, no antd: the confirmation and look-up pages are a
 * customer's first visit (issue 10); the signed-in portal pages put their antd forms inside.
 */
export function PortalLayout({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  usePageTitle(`${title} · ${t('portal.name')}`);
  return (
    <div className="kp-page kp-portal">
      <div className="kp-portal-lang">
        <LanguageButton />
      </div>
      <header className="kp-brand">
        <Icon name="customerService" />
        <span className="kp-brand-name">{t('portal.name')}</span>
      </header>
      <main className="kp-card">
        <h1 className="kp-portal-title" data-testid="page-title">
          {title}
        </h1>
        {children}
      </main>
      <nav className="kp-portal-links kp-secondary" aria-label={t('portal.name')}>
        <Link to="/portal/lookup">{t('portal.lookup.link')}</Link>
        {' · '}
        <Link to="/portal/requests">{t('portal.nav.myRequests')}</Link>
        {' · '}
        <Link to="/help" data-testid="portal-help-link">
          {t('portal.nav.help')}
        </Link>
      </nav>
    </div>
  );
}
