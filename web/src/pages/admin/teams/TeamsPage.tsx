import { useState } from 'react';
import { Button, Card, Flex, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../../api/auth';
import { useTeams } from '../../../api/teams';
import type { Team } from '../../../api/types';
import { useFormatDateTime } from '../../../lib/format';
import { usePageTitle } from '../../../lib/usePageTitle';
import { LoadMore } from '../../../layout/LoadMore';
import { QueryError, isForbidden } from '../../errors/QueryError';
import { Forbidden } from '../../errors/Forbidden';
import { TeamModal } from './TeamModal';

export function TeamsPage() {
  const { t } = useTranslation();
  usePageTitle(t('teams.title'));
  const can = useAbilities();
  const formatDate = useFormatDateTime();
  const teams = useTeams();
  // undefined: closed; null: creating; Team: editing.
  const [editing, setEditing] = useState<Team | null | undefined>(undefined);

  if (isForbidden(teams.error)) return <Forbidden />;

  const columns: TableColumnsType<Team> = [
    { title: t('fields.teamName'), dataIndex: 'name', key: 'name' },
    {
      title: t('fields.description'),
      dataIndex: 'description',
      key: 'description',
      render: (value: string | null) => value || '',
    },
    { title: t('fields.memberCount'), dataIndex: 'memberCount', key: 'memberCount', width: 120 },
    {
      title: t('fields.createdAt'),
      key: 'createdAt',
      render: (_, team) => formatDate(team.createdAt),
    },
  ];
  if (can('teams.update')) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, team) => (
        <Button type="link" size="small" onClick={() => setEditing(team)} data-testid="edit-team">
          {t('common.edit')}
        </Button>
      ),
    });
  }

  return (
    <Card>
      <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('teams.title')}
        </Typography.Title>
        {can('teams.create') && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing(null)}
            data-testid="create-team"
          >
            {t('teams.create')}
          </Button>
        )}
      </Flex>
      {teams.isError && <QueryError error={teams.error} onRetry={() => void teams.refetch()} />}
      <Table<Team>
        rowKey="id"
        columns={columns}
        dataSource={teams.data?.pages.flatMap((page) => page.data) ?? []}
        loading={teams.isPending}
        pagination={false}
        data-testid="teams-table"
      />
      <LoadMore query={teams} />
      <TeamModal
        open={editing !== undefined}
        team={editing ?? undefined}
        onClose={() => setEditing(undefined)}
      />
    </Card>
  );
}
