import { Avatar, Dropdown, Space, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { DownOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { endSession, useMe, useSignOut } from '../api/auth';

export function UserMenu() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data: me } = useMe();
  const signOut = useSignOut();

  const doSignOut = async () => {
    try {
      await signOut.mutateAsync();
    } catch {
      // Signing out locally is what matters; the session cookie expires on its own.
    }
    await navigate('/sign-in', { replace: true });
    endSession();
  };

  const items: MenuProps['items'] = [
    {
      key: 'profile',
      icon: <UserOutlined />,
      label: <span data-testid="profile-link">{t('nav.profile')}</span>,
      onClick: () => void navigate('/profile'),
    },
    { type: 'divider' },
    {
      key: 'sign-out',
      icon: <LogoutOutlined />,
      label: <span data-testid="sign-out">{t('auth.signOut')}</span>,
      onClick: () => void doSignOut(),
    },
  ];

  const name = me?.user.name ?? '';
  return (
    <Dropdown menu={{ items }} trigger={['click']} placement="bottomRight">
      <a
        role="button"
        tabIndex={0}
        data-testid="user-menu"
        onClick={(e) => e.preventDefault()}
        style={{ display: 'inline-flex', alignItems: 'center', height: '100%' }}
      >
        <Space>
          <Avatar size="small" icon={<UserOutlined />}>
            {name.slice(0, 1)}
          </Avatar>
          <Typography.Text>{name}</Typography.Text>
          <DownOutlined style={{ fontSize: 10 }} />
        </Space>
      </a>
    </Dropdown>
  );
}
