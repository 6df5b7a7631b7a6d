import { App, Button, Popconfirm, Space, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../api/types';
import { useUpdateUser } from '../../../api/users';
import { useApiErrorHandler } from '../../../lib/errors';
import { useFormatDateTime } from '../../../lib/format';
import { ROLE_COLORS, useRoleLabel } from '../../../lib/roles';

interface Options {
  canUpdate: boolean;
  selfId: string | undefined;
  onEdit: (user: User) => void;
}

export function useUserColumns({ canUpdate, selfId, onEdit }: Options): TableColumnsType<User> {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const roleLabel = useRoleLabel();
  const formatDate = useFormatDateTime();
  const update = useUpdateUser();
  const onError = useApiErrorHandler();

  const setActive = (user: User, active: boolean) =>
    update.mutateAsync({ id: user.id, active }).then(
      () => void message.success(t(active ? 'users.reactivated' : 'users.deactivated')),
      (error: unknown) => onError(error),
    );

  const columns: TableColumnsType<User> = [
    { title: t('fields.name'), dataIndex: 'name', key: 'name' },
    { title: t('fields.email'), dataIndex: 'email', key: 'email' },
    {
      title: t('fields.roles'),
      key: 'roles',
      render: (_, user) => (
        <Space size={[0, 4]} wrap>
          {user.roles.map((role) => (
            <Tag key={role} color={ROLE_COLORS[role] ?? 'default'}>
              {roleLabel(role)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('fields.teams'),
      key: 'teams',
      render: (_, user) => user.teams.map((team) => team.name).join(t('common.listSeparator')),
    },
    {
      title: t('fields.status'),
      key: 'status',
      render: (_, user) =>
        user.active ? (
          <Tag color="success">{t('users.statusActive')}</Tag>
        ) : (
          <Tag>{t('users.statusInactive')}</Tag>
        ),
    },
    {
      title: t('fields.lastSignInAt'),
      key: 'lastSignInAt',
      render: (_, user) => formatDate(user.lastSignInAt),
    },
  ];

  if (canUpdate) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'end',
      render: (_, user) => (
        <Space>
          <Button type="link" size="small" onClick={() => onEdit(user)} data-testid="edit-user">
            {t('common.edit')}
          </Button>
          {user.id !== selfId &&
            (user.active ? (
              <Popconfirm
                title={t('users.deactivateConfirm', { name: user.name })}
                okText={t('users.deactivate')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => setActive(user, false)}
              >
                <Button type="link" size="small" danger data-testid="deactivate-user">
                  {t('users.deactivate')}
                </Button>
              </Popconfirm>
            ) : (
              <Popconfirm
                title={t('users.reactivateConfirm', { name: user.name })}
                okText={t('users.reactivate')}
                cancelText={t('common.cancel')}
                onConfirm={() => setActive(user, true)}
              >
                <Button type="link" size="small" data-testid="reactivate-user">
                  {t('users.reactivate')}
                </Button>
              </Popconfirm>
            ))}
        </Space>
      ),
    });
  }
  return columns;
}
