import { useEffect } from 'react';
import { Form, InputNumber, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  useAttachmentLimits,
  useSaveAttachmentLimits,
  type AttachmentLimits,
} from '../../../api/settings';
import { SaveBar, SettingsCard, useSaved, useSettingsErrors } from './common';

const MB = 1024 * 1024;

/** Types an administrator is likely to want, offered in the picker (any media type can be typed). */
const COMMON_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/zip',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'audio/mpeg',
  'video/mp4',
];

interface Values {
  /** In MB on the form, bytes on the wire. */
  maxFileBytes: number;
  maxImageBytes: number;
  allowedTypes: string[];
}

const toForm = (s: AttachmentLimits): Values => ({
  maxFileBytes: Math.round((s.maxFileBytes / MB) * 100) / 100,
  maxImageBytes: Math.round((s.maxImageBytes / MB) * 100) / 100,
  allowedTypes: s.allowedTypes,
});

/** Upload limits: file and image size, allowed types (checked by content on upload). */
export function AttachmentSettingsTab() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const settings = useAttachmentLimits();
  const save = useSaveAttachmentLimits();
  const onError = useSettingsErrors();
  const saved = useSaved();

  useEffect(() => {
    if (settings.data) form.setFieldsValue(toForm(settings.data));
  }, [settings.data, form]);

  const submit = (v: Values) =>
    save.mutate(
      {
        maxFileBytes: Math.round(v.maxFileBytes * MB),
        maxImageBytes: Math.round(v.maxImageBytes * MB),
        allowedTypes: v.allowedTypes.map((x) => x.trim().toLowerCase()).filter(Boolean),
      },
      { onSuccess: saved, onError: (e) => onError(e, form) },
    );

  const size = (name: 'maxFileBytes' | 'maxImageBytes') => (
    <Form.Item
      name={name}
      label={t(`adminSettings.attachments.${name}`)}
      extra={t(`adminSettings.attachments.${name}Hint`)}
      rules={[{ required: true, message: t('validation.required') }]}
    >
      <InputNumber
        min={0.01}
        max={1024}
        step={1}
        suffix="MB"
        style={{ width: 200 }}
        data-testid={`attachment-settings-${name}`}
      />
    </Form.Item>
  );

  return (
    <SettingsCard
      title={t('adminSettings.attachments.title')}
      intro={t('adminSettings.attachments.intro')}
      query={settings}
      testId="attachment-settings"
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit}>
        {size('maxFileBytes')}
        {size('maxImageBytes')}
        <Form.Item
          name="allowedTypes"
          label={t('adminSettings.attachments.allowedTypes')}
          extra={t('adminSettings.attachments.allowedTypesHint')}
        >
          <Select
            mode="tags"
            tokenSeparators={[',', ' ']}
            style={{ maxWidth: 760 }}
            options={COMMON_TYPES.map((v) => ({ value: v, label: v }))}
            data-testid="attachment-settings-types"
          />
        </Form.Item>
        <SaveBar
          saving={save.isPending}
          onReset={() => settings.data && form.setFieldsValue(toForm(settings.data))}
        />
      </Form>
    </SettingsCard>
  );
}
