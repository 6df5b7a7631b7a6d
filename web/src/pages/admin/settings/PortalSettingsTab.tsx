import { useEffect } from 'react';
import { Form, InputNumber, Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fetchAll } from '../../../api/list';
import {
  usePortalSettings,
  useSavePortalSettings,
  type PortalSettings,
} from '../../../api/settings';
import type { User } from '../../../api/types';
import { SaveBar, SettingsCard, useSaved, useSettingsErrors } from './common';

/** Roles the server accepts as the portal's intake user. */
const INTAKE_ROLES = ['agent', 'supervisor', 'admin'];

function useIntakeCandidates() {
  return useQuery({
    queryKey: ['users', 'intake-candidates'],
    queryFn: ({ signal }) => fetchAll<User>('/api/v1/users', signal),
    select: (users) =>
      users.filter((u) => u.active && u.roles.some((r) => INTAKE_ROLES.includes(r))),
    staleTime: 60_000,
  });
}

/** Customer portal: sign-in code validity and attempts, session length, intake user. */
export function PortalSettingsTab() {
  const { t } = useTranslation();
  const [form] = Form.useForm<PortalSettings>();
  const settings = usePortalSettings();
  const save = useSavePortalSettings();
  const users = useIntakeCandidates();
  const onError = useSettingsErrors();
  const saved = useSaved();

  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);

  const number = (name: keyof PortalSettings, max: number, unit: string) => (
    <Form.Item
      name={name}
      label={t(`adminSettings.portal.${name}`)}
      extra={t(`adminSettings.portal.${name}Hint`)}
      rules={[{ required: true, message: t('validation.required') }]}
    >
      <InputNumber
        min={1}
        max={max}
        precision={0}
        suffix={unit}
        style={{ width: 200 }}
        data-testid={`portal-settings-${name}`}
      />
    </Form.Item>
  );

  return (
    <SettingsCard
      title={t('adminSettings.portal.title')}
      intro={t('adminSettings.portal.intro')}
      query={settings}
      testId="portal-settings"
    >
      <Form<PortalSettings>
        form={form}
        layout="vertical"
        onFinish={(v) =>
          save.mutate(
            { ...v, intakeUserId: v.intakeUserId ?? null },
            { onSuccess: saved, onError: (e) => onError(e, form) },
          )
        }
      >
        {number('codeTtlMinutes', 120, t('adminSettings.units.minutes'))}
        {number('codeMaxAttempts', 20, t('adminSettings.units.times'))}
        {number('sessionTtlHours', 720, t('adminSettings.units.hours'))}
        <Form.Item
          name="intakeUserId"
          label={t('adminSettings.portal.intakeUserId')}
          extra={t('adminSettings.portal.intakeUserIdHint')}
        >
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 360 }}
            loading={users.isPending}
            placeholder={t('adminSettings.portal.intakeDefault')}
            options={(users.data ?? []).map((u) => ({
              value: u.id,
              label: `${u.name} (${u.email})`,
            }))}
            data-testid="portal-settings-intake"
          />
        </Form.Item>
        <SaveBar
          saving={save.isPending}
          onReset={() => settings.data && form.setFieldsValue(settings.data)}
        />
      </Form>
    </SettingsCard>
  );
}
