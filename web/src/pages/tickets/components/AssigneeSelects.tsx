import { Form, Select } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../../api/auth';
import { useTeamMembers } from '../../../api/ticketAdmin';
import { useAllTeams } from '../../../api/teams';
import { useAssignableUsers } from '../../../api/tickets';
import type { Ref } from '../../../api/ticketTypes';

export interface AssigneeValues {
  teamId?: string;
  handlerId?: string;
}

interface Props {
  form: FormInstance;
  /** Current values, shown even when the pickers' lists do not contain them. */
  current?: { team: Ref | null; handler: Ref | null };
}

/**
 * Team + handler pickers (Form.Items named `teamId`, `handlerId`). Teams come from `GET /teams`;
 * handlers from `GET /users` when the user may list users, narrowed to the chosen team, else
 * from the chosen team's members (`GET /teams/:id/members`, readable by agents).
 */
export function AssigneeSelects({ form, current }: Props) {
  const { t } = useTranslation();
  const can = useAbilities();
  const teams = useAllTeams(can('teams.list'));
  const canListUsers = can('users.list');
  const users = useAssignableUsers(canListUsers);
  const teamId = Form.useWatch<string | undefined>('teamId', form);
  const canListMembers = !canListUsers && can('teams.members');
  const members = useTeamMembers(teamId, canListMembers);

  const teamOptions = new Map<string, string>();
  if (current?.team) teamOptions.set(current.team.id, current.team.name);
  for (const team of teams.data ?? []) teamOptions.set(team.id, team.name);

  const handlerOptions = new Map<string, string>();
  if (current?.handler) handlerOptions.set(current.handler.id, current.handler.name);
  for (const user of users.data ?? []) {
    if (!teamId || user.teams.some((team) => team.id === teamId)) {
      handlerOptions.set(user.id, user.name);
    }
  }
  if (canListMembers && teamId) {
    for (const member of members.data ?? []) handlerOptions.set(member.id, member.name);
  }
  const canPick = canListUsers || (canListMembers && !!teamId);

  return (
    <>
      <Form.Item name="teamId" label={t('tickets.fields.team')}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          loading={teams.isFetching}
          options={[...teamOptions].map(([value, label]) => ({ value, label }))}
          onChange={() => {
            const handlerId: unknown = form.getFieldValue('handlerId');
            const user = users.data?.find((u) => u.id === handlerId);
            const teamNow: unknown = form.getFieldValue('teamId');
            if (user && teamNow && !user.teams.some((team) => team.id === teamNow)) {
              form.setFieldValue('handlerId', undefined);
            }
            // Members of the previous team are not members of the new one.
            if (canListMembers && handlerId && handlerId !== current?.handler?.id) {
              form.setFieldValue('handlerId', undefined);
            }
          }}
          data-testid="assign-team"
        />
      </Form.Item>
      <Form.Item
        name="handlerId"
        label={t('tickets.fields.handler')}
        extra={canPick ? undefined : t('ticketAdmin.assign.pickTeamFirst')}
      >
        <Select
          allowClear
          disabled={!canPick && !current?.handler}
          showSearch={{ optionFilterProp: 'label' }}
          loading={users.isFetching || members.isFetching}
          options={[...handlerOptions].map(([value, label]) => ({ value, label }))}
          data-testid="assign-handler"
        />
      </Form.Item>
    </>
  );
}
