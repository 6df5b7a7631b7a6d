import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Icon } from '../../public/Icon';
import { LanguageButton } from '../../public/ui';

/**
 * Public pages for customers: no sign-in, no staff navigation. Plain elements and
 * `public/public.css`, no antd: this is the first page a customer loads (issue 10).
 */
export function HelpLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="kp-page">
      <header className="kp-help-header">
        <div className="kp-help-header-inner">
          <Link to="/help" className="kp-brand">
            <Icon name="customerService" />
            <span className="kp-brand-name">{t('kb.help.title')}</span>
          </Link>
          <nav>
            {/* The portal is where a customer asks when the articles do not answer. */}
            <Link to="/portal" data-testid="help-portal-link">
              {t('kb.help.portalLink')}
            </Link>
            <LanguageButton />
          </nav>
        </div>
      </header>
      <main className="kp-help-main">{children}</main>
    </div>
  );
}
