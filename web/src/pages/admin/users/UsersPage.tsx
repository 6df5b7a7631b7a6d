import { useState } from 'react';
import { Button, Card, Flex, Input, Select, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAbilities, useMe } from '../../../api/auth';
import { useUsers, type UserFilters } from '../../../api/users';
import type { User } from '../../../api/types';
import { useRoleOptions } from '../../../lib/roles';
import { usePageTitle } from '../../../lib/usePageTitle';
import { QueryError, isForbidden } from '../../errors/QueryError';
import { Forbidden } from '../../errors/Forbidden';
import { LoadMore } from '../../../layout/LoadMore';
import { UserFormDrawer } from './UserFormDrawer';
import { useUserColumns } from './useUserColumns';

type StatusFilter = 'all' | 'active' | 'inactive';

export function UsersPage() {
  const { t } = useTranslation();
  usePageTitle(t('users.title'));
  const can = useAbilities();
  const { data: me } = useMe();
  const roleOptions = useRoleOptions();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<string | undefined>();
  const [status, setStatus] = useState<StatusFilter>('all');
  const [editing, setEditing] = useState<User | null>(null);
  const [creating, setCreating] = useState(false);

  const filters: UserFilters = {
    q: q || undefined,
    role,
    active: status === 'all' ? undefined : status === 'active',
  };
  const users = useUsers(filters);
  const columns = useUserColumns({
    canUpdate: can('users.update'),
    selfId: me?.user.id,
    onEdit: setEditing,
  });

  if (isForbidden(users.error)) return <Forbidden />;

  const rows = users.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <Card>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('users.title')}
        </Typography.Title>
        {can('users.create') && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="create-user"
          >
            {t('users.create')}
          </Button>
        )}
      </Flex>
      <Flex wrap gap={12} style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('users.searchPlaceholder')}
          onSearch={(value) => setQ(value.trim())}
          style={{ width: 280 }}
          data-testid="user-search"
        />
        <Select
          allowClear
          placeholder={t('users.filterRole')}
          options={roleOptions}
          value={role}
          onChange={(value?: string) => setRole(value)}
          style={{ width: 200 }}
          data-testid="user-role-filter"
        />
        <Select<StatusFilter>
          value={status}
          onChange={setStatus}
          style={{ width: 160 }}
          options={[
            { value: 'all', label: t('users.statusAll') },
            { value: 'active', label: t('users.statusActive') },
            { value: 'inactive', label: t('users.statusInactive') },
          ]}
          data-testid="user-status-filter"
        />
      </Flex>
      {users.isError && <QueryError error={users.error} onRetry={() => void users.refetch()} />}
      <Table<User>
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={users.isPending || (users.isFetching && !users.isFetchingNextPage)}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="users-table"
      />
      <LoadMore query={users} />
      <UserFormDrawer mode="create" open={creating} onClose={() => setCreating(false)} />
      <UserFormDrawer
        mode="edit"
        user={editing ?? undefined}
        open={editing !== null}
        onClose={() => setEditing(null)}
      />
    </Card>
  );
}
