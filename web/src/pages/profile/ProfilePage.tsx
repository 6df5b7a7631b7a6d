import { Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../lib/usePageTitle';
import { ProfileForm } from './ProfileForm';
import { PasswordForm } from './PasswordForm';
import { ApiTokensCard } from './ApiTokensCard';

export function ProfilePage() {
  const { t } = useTranslation();
  usePageTitle(t('profile.title'));
  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('profile.title')}
      </Typography.Title>
      <Row gutter={[24, 24]}>
        <Col xs={24} xl={12}>
          <ProfileForm />
        </Col>
        <Col xs={24} xl={12}>
          <PasswordForm />
        </Col>
        <Col span={24}>
          <ApiTokensCard />
        </Col>
      </Row>
    </>
  );
}
