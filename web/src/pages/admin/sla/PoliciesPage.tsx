import { Card, Flex, Spin, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../../api/auth';
import { useSlaPolicies } from '../../../api/sla';
import { usePageTitle } from '../../../lib/usePageTitle';
import { Forbidden } from '../../errors/Forbidden';
import { QueryError, isForbidden } from '../../errors/QueryError';
import { PolicyEditor } from './PolicyEditor';
import { PolicyHistory } from './PolicyHistory';
import { PolicyPreview } from './PolicyPreview';

/** SLA policies: the ordered list (edit → new version), the due-time preview, the history. */
export function PoliciesPage() {
  const { t } = useTranslation();
  usePageTitle(t('slaAdmin.policies.title'));
  const can = useAbilities();
  const current = useSlaPolicies();

  if (isForbidden(current.error)) return <Forbidden />;

  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('slaAdmin.policies.title')}
      </Typography.Title>
      {current.isError && (
        <QueryError error={current.error} onRetry={() => void current.refetch()} />
      )}
      <Tabs
        destroyOnHidden={false}
        items={[
          {
            key: 'policies',
            label: t('slaAdmin.policies.tab'),
            children: current.data ? (
              <PolicyEditor
                key={current.data.version}
                current={current.data}
                canEdit={can('sla.policies.write')}
              />
            ) : (
              current.isPending && (
                <Flex justify="center" style={{ padding: 48 }}>
                  <Spin />
                </Flex>
              )
            ),
          },
          { key: 'preview', label: t('slaAdmin.preview.tab'), children: <PolicyPreview /> },
          { key: 'history', label: t('slaAdmin.history.tab'), children: <PolicyHistory /> },
        ]}
      />
    </Card>
  );
}
