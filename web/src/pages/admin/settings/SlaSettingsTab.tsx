import { useEffect } from 'react';
import { Checkbox, Form, Input, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSaveSlaSettings, useSlaSettings, type SlaSettings } from '../../../api/settings';
import { useTicketOptions } from '../../../lib/ticketLabels';
import { SaveBar, SettingsCard, useSaved, useSettingsErrors } from './common';

/** SLA: the automatic off-hours acknowledgement (channels, zh/en text), breach e-mail. */
export function SlaSettingsTab() {
  const { t } = useTranslation();
  const [form] = Form.useForm<SlaSettings>();
  const settings = useSlaSettings();
  const save = useSaveSlaSettings();
  const onError = useSettingsErrors();
  const saved = useSaved();
  const options = useTicketOptions();
  const enabled = Form.useWatch(['offHoursAck', 'enabled'], form);

  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);

  const template = (lang: 'zh' | 'en') => (
    <Form.Item
      name={['offHoursAck', lang]}
      label={t(`adminSettings.sla.template_${lang}`)}
      extra={t('adminSettings.sla.templateHint', { placeholder: '{number}' })}
      rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
    >
      <Input.TextArea
        autoSize={{ minRows: 2, maxRows: 6 }}
        maxLength={2000}
        style={{ maxWidth: 760 }}
        data-testid={`sla-settings-${lang}`}
      />
    </Form.Item>
  );

  return (
    <SettingsCard
      title={t('adminSettings.sla.title')}
      intro={t('adminSettings.sla.intro')}
      query={settings}
      testId="sla-settings"
    >
      <Form<SlaSettings>
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v, { onSuccess: saved, onError: (e) => onError(e, form) })}
      >
        <Form.Item
          name={['offHoursAck', 'enabled']}
          label={t('adminSettings.sla.ackEnabled')}
          extra={t('adminSettings.sla.ackEnabledHint')}
          valuePropName="checked"
        >
          <Switch data-testid="sla-settings-enabled" />
        </Form.Item>
        <Form.Item name={['offHoursAck', 'channels']} label={t('adminSettings.sla.channels')}>
          <Checkbox.Group
            options={options.channel}
            disabled={!enabled}
            data-testid="sla-settings-channels"
          />
        </Form.Item>
        {template('zh')}
        {template('en')}
        <Form.Item
          name="emailOnBreach"
          label={t('adminSettings.sla.emailOnBreach')}
          extra={t('adminSettings.sla.emailOnBreachHint')}
          valuePropName="checked"
        >
          <Switch data-testid="sla-settings-email" />
        </Form.Item>
        <SaveBar
          saving={save.isPending}
          onReset={() => settings.data && form.setFieldsValue(settings.data)}
        />
      </Form>
    </SettingsCard>
  );
}
