import { useState } from 'react';
import { Button, Card, Empty, Flex, Modal, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useAbilities } from '../../../api/auth';
import { isRoundTheClock, useSlaCalendars, type SlaCalendar } from '../../../api/sla';
import { usePageTitle } from '../../../lib/usePageTitle';
import { Forbidden } from '../../errors/Forbidden';
import { QueryError, isForbidden } from '../../errors/QueryError';
import { CalendarForm } from './CalendarForm';
import { useWeekSummary } from './useWeekSummary';

/** Business calendars: time zone, 24×7 or working hours, the teams on each; create one. */
export function CalendarsPage() {
  const { t } = useTranslation();
  usePageTitle(t('slaAdmin.calendars.title'));
  const can = useAbilities();
  const navigate = useNavigate();
  const calendars = useSlaCalendars();
  const summary = useWeekSummary();
  const [creating, setCreating] = useState(false);
  const canEdit = can('sla.calendars.write');

  if (isForbidden(calendars.error)) return <Forbidden />;

  const columns: TableColumnsType<SlaCalendar> = [
    {
      title: t('slaAdmin.calendar.name'),
      key: 'name',
      render: (_, c) => (
        <Flex gap={8} align="center">
          <Link to={`/admin/sla/calendars/${c.id}`} data-testid="calendar-link">
            {c.name}
          </Link>
          {c.isDefault && <Tag color="blue">{t('slaAdmin.calendar.default')}</Tag>}
        </Flex>
      ),
    },
    { title: t('slaAdmin.calendar.timeZone'), dataIndex: 'timeZone', key: 'timeZone' },
    {
      title: t('slaAdmin.calendar.hours'),
      key: 'hours',
      render: (_, c) =>
        isRoundTheClock(c) ? (
          <Tag color="purple">{t('slaAdmin.calendar.roundTheClock')}</Tag>
        ) : (
          summary(c.weekly)
        ),
    },
    {
      title: t('slaAdmin.calendar.teams'),
      key: 'teams',
      render: (_, c) =>
        c.teams.length
          ? c.teams.map((team) => team.name).join(t('common.listSeparator'))
          : c.isDefault
            ? t('slaAdmin.calendar.teamsDefault')
            : '—',
    },
  ];

  return (
    <Card>
      <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('slaAdmin.calendars.title')}
        </Typography.Title>
        {canEdit && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="create-calendar"
          >
            {t('slaAdmin.calendars.create')}
          </Button>
        )}
      </Flex>
      <Typography.Paragraph type="secondary">{t('slaAdmin.calendars.intro')}</Typography.Paragraph>
      {calendars.isError && (
        <QueryError error={calendars.error} onRetry={() => void calendars.refetch()} />
      )}
      <Table<SlaCalendar>
        rowKey="id"
        columns={columns}
        dataSource={calendars.data ?? []}
        loading={calendars.isPending}
        pagination={false}
        locale={{ emptyText: <Empty description={t('slaAdmin.calendars.empty')} /> }}
        data-testid="calendars-table"
      />
      <Modal
        title={t('slaAdmin.calendars.create')}
        open={creating}
        onCancel={() => setCreating(false)}
        footer={null}
        width={760}
        destroyOnHidden
      >
        <CalendarForm
          canEdit={canEdit}
          onCancel={() => setCreating(false)}
          onSaved={(c) => {
            setCreating(false);
            void navigate(`/admin/sla/calendars/${c.id}`);
          }}
        />
      </Modal>
    </Card>
  );
}
