import { Menu } from 'antd';
import type { MenuProps } from 'antd';
import {
  AimOutlined,
  AlertOutlined,
  AuditOutlined,
  BarChartOutlined,
  CommentOutlined,
  CalendarOutlined,
  FieldTimeOutlined,
  BookOutlined,
  BranchesOutlined,
  FormOutlined,
  LineChartOutlined,
  PhoneOutlined,
  CustomerServiceOutlined,
  SmileOutlined,
  SettingOutlined,
  TeamOutlined,
  SafetyCertificateOutlined,
  UnorderedListOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useAbilities } from '../api/auth';
import { SETTINGS_TABS } from '../pages/admin/settings/tabs';
import { LIST_TABS } from '../pages/admin/lists/tabs';

type Item = Required<MenuProps>['items'][number];

function link(to: string, label: string, testId: string) {
  return (
    <Link to={to} data-testid={testId}>
      {label}
    </Link>
  );
}

export function SideMenu() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const can = useAbilities();

  const admin: Item[] = [];
  if (can('users.list')) {
    admin.push({
      key: '/admin/users',
      icon: <UserOutlined />,
      label: link('/admin/users', t('nav.users'), 'nav-admin-users'),
    });
  }
  if (can('teams.list')) {
    admin.push({
      key: '/admin/teams',
      icon: <TeamOutlined />,
      label: link('/admin/teams', t('nav.teams'), 'nav-admin-teams'),
    });
  }
  if (can('sla.calendars.write')) {
    admin.push({
      key: '/admin/sla/calendars',
      icon: <CalendarOutlined />,
      label: link('/admin/sla/calendars', t('slaAdmin.nav.calendars'), 'nav-admin-sla-calendars'),
    });
  }
  if (can('sla.policies.write')) {
    admin.push({
      key: '/admin/sla/policies',
      icon: <FieldTimeOutlined />,
      label: link('/admin/sla/policies', t('slaAdmin.nav.policies'), 'nav-admin-sla-policies'),
    });
  }
  if (can('ticketFields.manage')) {
    admin.push({
      key: '/admin/ticket-fields',
      icon: <FormOutlined />,
      label: link('/admin/ticket-fields', t('ticketAdmin.nav.fields'), 'nav-admin-ticket-fields'),
    });
  }
  if (can('assignmentRules.list')) {
    admin.push({
      key: '/admin/assignment-rules',
      icon: <BranchesOutlined />,
      label: link(
        '/admin/assignment-rules',
        t('ticketAdmin.nav.rules'),
        'nav-admin-assignment-rules',
      ),
    });
  }
  if (LIST_TABS.some((tab) => can(tab.ability))) {
    admin.push({
      key: '/admin/lists',
      icon: <UnorderedListOutlined />,
      label: link('/admin/lists', t('adminLists.nav'), 'nav-admin-lists'),
    });
  }
  if (SETTINGS_TABS.some((tab) => can(tab.ability))) {
    admin.push({
      key: '/admin/settings',
      icon: <SettingOutlined />,
      label: link('/admin/settings', t('adminSettings.nav'), 'nav-admin-settings'),
    });
  }
  if (can('alerts.read')) {
    admin.push({
      key: '/admin/alerts',
      icon: <AlertOutlined />,
      label: link('/admin/alerts', t('alerts.nav'), 'nav-admin-alerts'),
    });
  }
  if (can('surveySettings.read')) {
    admin.push({
      key: '/admin/surveys',
      icon: <SmileOutlined />,
      label: link('/admin/surveys', t('surveys.nav.admin'), 'nav-admin-surveys'),
    });
  }
  if (can('callSettings.read')) {
    admin.push({
      key: '/admin/calls',
      icon: <PhoneOutlined />,
      label: link('/admin/calls', t('calls.navSettings'), 'nav-admin-calls'),
    });
  }
  if (can('kpi.targets.write')) {
    admin.push({
      key: '/admin/kpi/targets',
      icon: <AimOutlined />,
      label: link('/admin/kpi/targets', t('kpi.navTargets'), 'nav-admin-kpi-targets'),
    });
  }
  if (can('qa.settings.write')) {
    admin.push({
      key: '/admin/qa',
      icon: <SafetyCertificateOutlined />,
      label: link('/admin/qa', t('qa.admin.nav'), 'nav-admin-qa'),
    });
  }
  if (can('chatSettings.read')) {
    admin.push({
      key: '/admin/chat',
      icon: <CommentOutlined />,
      label: link('/admin/chat', t('chat.navAdmin'), 'nav-admin-chat'),
    });
  }
  if (can('audit.list')) {
    admin.push({
      key: '/admin/audit',
      icon: <AuditOutlined />,
      label: link('/admin/audit', t('nav.audit'), 'nav-admin-audit'),
    });
  }

  const items: Item[] = [
    {
      key: '/knowledge',
      icon: <BookOutlined />,
      label: link('/knowledge', t('nav.knowledge'), 'nav-knowledge'),
    },
  ];
  // Tickets: roles that work or read tickets (not knowledge editors or reviewers).
  if (can('tickets.list')) {
    items.unshift({
      key: '/tickets',
      icon: <CustomerServiceOutlined />,
      label: link('/tickets', t('nav.tickets'), 'nav-tickets'),
    });
  }
  if (can('chat.work')) {
    items.push({
      key: '/chat',
      icon: <CommentOutlined />,
      label: link('/chat', t('chat.nav'), 'nav-chat'),
    });
  }
  if (can('surveyResponses.list')) {
    items.push({
      key: '/surveys',
      icon: <SmileOutlined />,
      label: link('/surveys', t('surveys.nav.answers'), 'nav-surveys'),
    });
  }
  if (can('calls.read')) {
    items.push({
      key: '/calls',
      icon: <PhoneOutlined />,
      label: link('/calls', t('calls.nav'), 'nav-calls'),
    });
  }
  if (can('kpi.read')) {
    items.push({
      key: '/kpi',
      icon: <LineChartOutlined />,
      label: link('/kpi', t('kpi.nav'), 'nav-kpi'),
    });
  }
  if (can('qa.read')) {
    items.push({
      key: '/qa',
      icon: <SafetyCertificateOutlined />,
      label: link('/qa', t('qa.nav'), 'nav-qa'),
    });
  }
  if (can('reports.read')) {
    items.push({
      key: '/reports',
      icon: <BarChartOutlined />,
      label: link('/reports', t('reports.nav'), 'nav-reports'),
    });
  }
  if (can('sla.riskBoard')) {
    items.push({
      key: '/sla/risk-board',
      icon: <AlertOutlined />,
      label: link('/sla/risk-board', t('slaAdmin.nav.riskBoard'), 'nav-sla-risk-board'),
    });
  }
  if (admin.length > 0) {
    items.push({
      key: 'admin',
      type: 'group',
      label: t('nav.admin'),
      children: admin,
    });
  }

  const selected = [...items, ...admin]
    .map((item) => String(item?.key ?? ''))
    .filter((key) => key.startsWith('/') && pathname.startsWith(key));

  return (
    <Menu
      mode="inline"
      theme="dark"
      items={items}
      selectedKeys={selected}
      data-testid="side-menu"
      aria-label={t('nav.main')}
    />
  );
}
