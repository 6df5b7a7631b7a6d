import { useState } from 'react';
import { App, Button, Card, Popconfirm, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../api/auth';
import { useApiTokens, useRevokeApiToken } from '../../api/profile';
import type { ApiToken } from '../../api/types';
import { useApiErrorHandler } from '../../lib/errors';
import { useFormatDateTime } from '../../lib/format';
import { QueryError } from '../errors/QueryError';
import { CreateTokenModal } from './CreateTokenModal';
import { TokenSecretModal } from './TokenSecretModal';

export function ApiTokensCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const tokens = useApiTokens();
  const revoke = useRevokeApiToken();
  const onError = useApiErrorHandler();
  const formatDate = useFormatDateTime();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);

  if (!can('tokens.manage')) return null;

  const columns: TableColumnsType<ApiToken> = [
    { title: t('fields.tokenName'), dataIndex: 'name', key: 'name' },
    {
      title: t('tokens.prefix'),
      dataIndex: 'prefix',
      key: 'prefix',
      render: (prefix: string) => <code>{prefix}…</code>,
    },
    {
      title: t('fields.scopes'),
      key: 'scopes',
      render: (_, token) => (
        <Space size={[0, 4]} wrap>
          {token.scopes.map((scope) => (
            <Tag key={scope}>{scope}</Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('tokens.expiresAt'),
      key: 'expiresAt',
      render: (_, token) => (token.expiresAt ? formatDate(token.expiresAt) : t('tokens.noExpiry')),
    },
    {
      title: t('tokens.lastUsedAt'),
      key: 'lastUsedAt',
      render: (_, token) => formatDate(token.lastUsedAt),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, token) => (
        <Popconfirm
          title={t('tokens.revokeConfirm', { name: token.name })}
          okText={t('tokens.revoke')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={() =>
            revoke.mutateAsync(token.id).then(
              () => void message.success(t('tokens.revoked')),
              (error: unknown) => onError(error),
            )
          }
        >
          <Button type="link" size="small" danger data-testid="revoke-token">
            {t('tokens.revoke')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <Card
      title={t('tokens.title')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="create-token"
        >
          {t('tokens.create')}
        </Button>
      }
    >
      {tokens.isError ? (
        <QueryError error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : (
        <Table<ApiToken>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={tokens.data ?? []}
          loading={tokens.isPending}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="tokens-table"
        />
      )}
      <CreateTokenModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(created) => {
          setCreating(false);
          setSecret(created.secret);
        }}
      />
      <TokenSecretModal secret={secret} onClose={() => setSecret(null)} />
    </Card>
  );
}
