import { useEffect, useMemo } from 'react';
import { Form, InputNumber, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  useSaveTicketSettings,
  useTicketSettings,
  type TicketSettings,
} from '../../../api/settings';
import { SaveBar, SettingsCard, useSaved, useSettingsErrors } from './common';

type Values = Omit<TicketSettings, 'editable'>;

function timeZones(current: string | undefined): string[] {
  // Every zone the browser knows; the stored one is kept even if this browser lacks it.
  const all =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return current && !all.includes(current) ? [current, ...all] : all;
}

/** Closed-loop settings: auto-close, reopen window, archive delay, link validity, time zone. */
export function TicketSettingsTab() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const settings = useTicketSettings();
  const save = useSaveTicketSettings();
  const onError = useSettingsErrors();
  const saved = useSaved();
  const editable = settings.data?.editable !== false;
  const zones = useMemo(() => timeZones(settings.data?.timeZone), [settings.data?.timeZone]);

  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);

  const days = (name: keyof Values, min: number, max: number) => (
    <Form.Item
      name={name}
      label={t(`adminSettings.tickets.${name}`)}
      extra={t(`adminSettings.tickets.${name}Hint`)}
      rules={[{ required: true, message: t('validation.required') }]}
    >
      <InputNumber
        min={min}
        max={max}
        precision={0}
        suffix={t('adminSettings.units.days')}
        style={{ width: 200 }}
        data-testid={`ticket-settings-${name}`}
      />
    </Form.Item>
  );

  return (
    <SettingsCard
      title={t('adminSettings.tickets.title')}
      intro={t('adminSettings.tickets.intro')}
      query={settings}
      testId="ticket-settings"
    >
      <Form<Values>
        form={form}
        layout="vertical"
        disabled={!editable}
        onFinish={(values) =>
          save.mutate(values, { onSuccess: saved, onError: (e) => onError(e, form) })
        }
      >
        {days('autoCloseDays', 1, 365)}
        {days('reopenWindowDays', 0, 365)}
        {days('archiveAfterDays', 1, 3650)}
        {days('confirmationLinkDays', 1, 365)}
        <Form.Item
          name="timeZone"
          label={t('adminSettings.tickets.timeZone')}
          extra={t('adminSettings.tickets.timeZoneHint')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            showSearch
            style={{ width: 320 }}
            options={zones.map((z) => ({ value: z, label: z }))}
            data-testid="ticket-settings-timeZone"
          />
        </Form.Item>
        <SaveBar
          saving={save.isPending}
          disabled={!editable}
          onReset={() => settings.data && form.setFieldsValue(settings.data)}
        />
      </Form>
    </SettingsCard>
  );
}
