import { Breadcrumb, Card, Flex, Spin, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useAbilities } from '../../../api/auth';
import { isRoundTheClock, useSlaCalendar } from '../../../api/sla';
import { usePageTitle } from '../../../lib/usePageTitle';
import { QueryError } from '../../errors/QueryError';
import { CalendarForm } from './CalendarForm';
import { CalendarTeams } from './CalendarTeams';
import { DaysPanel } from './DaysPanel';

/** One calendar: its hours (week editor), its holidays and make-up days, its teams. */
export function CalendarPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const can = useAbilities();
  const calendar = useSlaCalendar(id);
  usePageTitle(calendar.data?.name ?? t('slaAdmin.calendars.title'));
  const canEdit = can('sla.calendars.write');

  return (
    <Card>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { title: <Link to="/admin/sla/calendars">{t('slaAdmin.calendars.title')}</Link> },
          { title: calendar.data?.name ?? '…' },
        ]}
      />
      {calendar.isError && (
        <QueryError error={calendar.error} onRetry={() => void calendar.refetch()} />
      )}
      {calendar.isPending && (
        <Flex justify="center" style={{ padding: 48 }}>
          <Spin />
        </Flex>
      )}
      {calendar.data && (
        <>
          <Flex gap={8} align="center" style={{ marginBottom: 8 }}>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="calendar-title">
              {calendar.data.name}
            </Typography.Title>
            {calendar.data.isDefault && <Tag color="blue">{t('slaAdmin.calendar.default')}</Tag>}
            {isRoundTheClock(calendar.data) && (
              <Tag color="purple">{t('slaAdmin.calendar.roundTheClock')}</Tag>
            )}
            <Typography.Text type="secondary">{calendar.data.timeZone}</Typography.Text>
          </Flex>
          <Tabs
            defaultActiveKey="days"
            items={[
              {
                key: 'days',
                label: t('slaAdmin.calendar.tabDays'),
                children: <DaysPanel calendar={calendar.data} canEdit={canEdit} />,
              },
              {
                key: 'hours',
                label: t('slaAdmin.calendar.tabHours'),
                children: (
                  <CalendarForm
                    key={`${calendar.data.id}:${calendar.data.revision}`}
                    calendar={calendar.data}
                    canEdit={canEdit}
                  />
                ),
              },
              {
                key: 'teams',
                label: t('slaAdmin.calendar.tabTeams', { count: calendar.data.teams.length }),
                children: <CalendarTeams calendar={calendar.data} canEdit={canEdit} />,
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}
