import { Card, Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../lib/usePageTitle';

export type Area = 'tickets' | 'knowledge' | 'quality' | 'reports';

/** Placeholder for product areas that are not built yet. */
export function ComingSoonPage({ area }: { area: Area }) {
  const { t } = useTranslation();
  const title = t(`nav.${area}`);
  usePageTitle(title);
  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {title}
      </Typography.Title>
      <Empty
        data-testid={`coming-soon-${area}`}
        description={t('comingSoon.description', { area: title })}
        style={{ padding: '48px 0' }}
      />
    </Card>
  );
}
