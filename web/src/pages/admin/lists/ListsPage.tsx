import type { ReactNode } from 'react';
import { Card, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router';
import { useAbilities } from '../../../api/auth';
import { usePageTitle } from '../../../lib/usePageTitle';
import { Forbidden } from '../../errors/Forbidden';
import { KbCategoriesTab } from './KbCategoriesTab';
import { PhrasesTab } from './PhrasesTab';
import { TicketCategoriesTab } from './TicketCategoriesTab';
import { LIST_TABS, type ListTab } from './tabs';

const CONTENT: Record<ListTab, () => ReactNode> = {
  'kb-categories': () => <KbCategoriesTab />,
  'ticket-categories': () => <TicketCategoriesTab />,
  phrases: () => <PhrasesTab />,
};

/** Configurable lists (knowledge categories, ticket categories, phrase lists), one tab each. */
export function ListsPage() {
  const { t } = useTranslation();
  usePageTitle(t('adminLists.title'));
  const can = useAbilities();
  const navigate = useNavigate();
  const { tab } = useParams();
  const visible = LIST_TABS.filter((x) => can(x.ability));

  if (visible.length === 0) return <Forbidden />;
  const active = visible.find((x) => x.key === tab);
  if (!active) return <Navigate to={`/admin/lists/${visible[0]!.key}`} replace />;

  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('adminLists.title')}
      </Typography.Title>
      <Tabs
        activeKey={active.key}
        onChange={(key) => void navigate(`/admin/lists/${key}`)}
        destroyOnHidden
        items={visible.map((x) => ({
          key: x.key,
          label: <span data-testid={`lists-tab-${x.key}`}>{t(`adminLists.tabs.${x.key}`)}</span>,
          children: CONTENT[x.key](),
        }))}
      />
    </Card>
  );
}
