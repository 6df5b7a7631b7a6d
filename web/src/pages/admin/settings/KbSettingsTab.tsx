import { useEffect } from 'react';
import { Form, InputNumber } from 'antd';
import { useTranslation } from 'react-i18next';
import { useKbSettings, useSaveKbSettings, type KbSettings } from '../../../api/settings';
import { SaveBar, SettingsCard, useSaved, useSettingsErrors } from './common';
import { KbDictionaryCard } from './KbDictionaryCard';

/** Knowledge-base settings: the feedback reply deadline in working days. */
export function KbSettingsTab() {
  const { t } = useTranslation();
  const [form] = Form.useForm<KbSettings>();
  const settings = useKbSettings();
  const save = useSaveKbSettings();
  const onError = useSettingsErrors();
  const saved = useSaved();

  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);

  return (
    <>
      <SettingsCard
        title={t('adminSettings.kb.title')}
        intro={t('adminSettings.kb.intro')}
        query={settings}
        testId="kb-settings"
      >
        <Form<KbSettings>
          form={form}
          layout="vertical"
          onFinish={(values) =>
            save.mutate(values, { onSuccess: saved, onError: (e) => onError(e, form) })
          }
        >
          <Form.Item
            name="feedbackReplyWorkingDays"
            label={t('adminSettings.kb.feedbackReplyWorkingDays')}
            extra={t('adminSettings.kb.feedbackReplyWorkingDaysHint')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <InputNumber
              min={1}
              max={365}
              precision={0}
              suffix={t('adminSettings.units.workingDays')}
              style={{ width: 220 }}
              data-testid="kb-settings-feedbackReplyWorkingDays"
            />
          </Form.Item>
          <SaveBar
            saving={save.isPending}
            onReset={() => settings.data && form.setFieldsValue(settings.data)}
          />
        </Form>
      </SettingsCard>
      <KbDictionaryCard />
    </>
  );
}
