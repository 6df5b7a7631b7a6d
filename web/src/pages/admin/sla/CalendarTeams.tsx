import { App, Empty, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSetTeamCalendar, useSlaCalendars, type SlaCalendar } from '../../../api/sla';
import { useAllTeams } from '../../../api/teams';
import type { Team } from '../../../api/types';
import { useApiErrorHandler } from '../../../lib/errors';
import { QueryError } from '../../errors/QueryError';

const DEFAULT = '__default__';

/** Which teams work on this calendar, and every team's calendar choice (switchable). */
export function CalendarTeams({ calendar, canEdit }: { calendar: SlaCalendar; canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const teams = useAllTeams();
  const calendars = useSlaCalendars();
  const setCalendar = useSetTeamCalendar();
  const onError = useApiErrorHandler();

  const chosen = new Map<string, string>();
  for (const c of calendars.data ?? []) for (const team of c.teams) chosen.set(team.id, c.id);
  const defaultName = calendars.data?.find((c) => c.isDefault)?.name ?? '';
  const options = [
    { value: DEFAULT, label: t('slaAdmin.teams.useDefault', { name: defaultName }) },
    ...(calendars.data ?? []).map((c) => ({ value: c.id, label: c.name })),
  ];
  const onThis = (team: Team) =>
    chosen.get(team.id) === calendar.id || (!chosen.has(team.id) && calendar.isDefault);

  const columns: TableColumnsType<Team> = [
    {
      title: t('slaAdmin.teams.team'),
      key: 'name',
      render: (_, team) => (
        <>
          {team.name} {onThis(team) && <Tag color="blue">{t('slaAdmin.teams.onThis')}</Tag>}
        </>
      ),
    },
    {
      title: t('slaAdmin.teams.calendar'),
      key: 'calendar',
      width: 320,
      render: (_, team) => (
        <Select
          value={chosen.get(team.id) ?? DEFAULT}
          options={options}
          disabled={!canEdit || setCalendar.isPending}
          style={{ width: 300 }}
          data-testid="team-calendar"
          onChange={(value: string) =>
            setCalendar.mutate(
              { teamId: team.id, calendarId: value === DEFAULT ? null : value },
              {
                onSuccess: () =>
                  void message.success(t('slaAdmin.teams.switched', { team: team.name })),
                onError: (error) => onError(error),
              },
            )
          }
        />
      ),
    },
  ];

  const error = teams.error ?? calendars.error;
  return (
    <div data-testid="calendar-teams">
      <Typography.Paragraph type="secondary">{t('slaAdmin.teams.help')}</Typography.Paragraph>
      {error && (
        <QueryError
          error={error}
          onRetry={() => {
            void teams.refetch();
            void calendars.refetch();
          }}
        />
      )}
      <Table<Team>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={teams.data ?? []}
        loading={teams.isPending || calendars.isPending}
        pagination={false}
        locale={{ emptyText: <Empty description={t('slaAdmin.teams.empty')} /> }}
      />
    </div>
  );
}
