import type { ReactNode } from 'react';
import { Card, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router';
import { useAbilities } from '../../../api/auth';
import { usePageTitle } from '../../../lib/usePageTitle';
import { Forbidden } from '../../errors/Forbidden';
import { AttachmentSettingsTab } from './AttachmentSettingsTab';
import { InboundMailTab } from './InboundMailTab';
import { KbSettingsTab } from './KbSettingsTab';
import { MailTab } from './MailTab';
import { DeadLettersTab, MailTemplatesTab } from '../../mail/OutboundMail';
import { PortalSettingsTab } from './PortalSettingsTab';
import { SlaSettingsTab } from './SlaSettingsTab';
import { TicketSettingsTab } from './TicketSettingsTab';
import { SETTINGS_TABS, type SettingsTab } from './tabs';

const CONTENT: Record<SettingsTab, () => ReactNode> = {
  tickets: () => <TicketSettingsTab />,
  attachments: () => <AttachmentSettingsTab />,
  mail: () => <MailTab />,
  inbound: () => <InboundMailTab />,
  mailTemplates: () => <MailTemplatesTab />,
  deadLetters: () => <DeadLettersTab />,
  portal: () => <PortalSettingsTab />,
  sla: () => <SlaSettingsTab />,
  kb: () => <KbSettingsTab />,
};

/** Workspace settings (administrators): one tab per area, each shown by its ability. */
export function SettingsPage() {
  const { t } = useTranslation();
  usePageTitle(t('adminSettings.title'));
  const can = useAbilities();
  const navigate = useNavigate();
  const { tab } = useParams();
  const visible = SETTINGS_TABS.filter((x) => can(x.ability));

  if (visible.length === 0) return <Forbidden />;
  const active = visible.find((x) => x.key === tab);
  if (!active) return <Navigate to={`/admin/settings/${visible[0]!.key}`} replace />;

  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('adminSettings.title')}
      </Typography.Title>
      <Tabs
        activeKey={active.key}
        onChange={(key) => void navigate(`/admin/settings/${key}`)}
        destroyOnHidden
        items={visible.map((x) => ({
          key: x.key,
          label: (
            <span data-testid={`settings-tab-${x.key}`}>{t(`adminSettings.tabs.${x.key}`)}</span>
          ),
          children: CONTENT[x.key](),
        }))}
        data-testid="settings-tabs"
      />
    </Card>
  );
}
