import { useState } from 'react';
import { Button, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { usePortalCategories, useSubmitRequest } from '../../api/portal';
import { useApiErrorHandler } from '../../lib/errors';
import { filesOf, PortalFilePicker, useSendFiles, type ChosenFiles } from './PortalFiles';
import { PortalLayout } from './PortalLayout';
import { PortalNav, RequirePortal } from './RequirePortal';

interface Values {
  category: string;
  subject: string;
  description: string;
}

/** `/portal/requests/new` — the customer describes a new request. */
export function NewRequestPage() {
  const { t } = useTranslation();
  return (
    <PortalLayout title={t('portal.newRequest.title')}>
      <RequirePortal>
        {(account) => (
          <>
            <PortalNav account={account} />
            <NewRequestForm />
          </>
        )}
      </RequirePortal>
    </PortalLayout>
  );
}

function NewRequestForm() {
  const { t, i18n } = useTranslation();
  const categories = usePortalCategories();
  const submit = useSubmitRequest();
  const onError = useApiErrorHandler();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [chosen, setChosen] = useState<ChosenFiles>([]);
  const sendFiles = useSendFiles();
  const [sendingFiles, setSendingFiles] = useState(false);
  const busy = submit.isPending || sendingFiles;
  const zh = i18n.language.startsWith('zh');
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      disabled={busy}
      onFinish={(values) =>
        submit.mutate(values, {
          // The request exists now; its files follow (a refused file is reported by name).
          onSuccess: async (detail) => {
            setSendingFiles(true);
            try {
              await sendFiles(detail.id, filesOf(chosen));
            } finally {
              setSendingFiles(false);
            }
            void navigate(`/portal/requests/${detail.id}`);
          },
          onError: (error) => onError(error, form),
        })
      }
      data-testid="portal-new-request"
    >
      <Form.Item
        name="category"
        label={t('portal.newRequest.category')}
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <Select
          loading={categories.isPending}
          options={(categories.data ?? []).map((c) => ({
            value: c.key,
            label: zh ? c.labelZh : c.labelEn,
          }))}
          data-testid="portal-category"
        />
      </Form.Item>
      <Form.Item
        name="subject"
        label={t('portal.newRequest.subject')}
        rules={[{ required: true, whitespace: true, max: 200, message: t('validation.required') }]}
      >
        <Input maxLength={200} data-testid="portal-subject" />
      </Form.Item>
      <Form.Item
        name="description"
        label={t('portal.newRequest.description')}
        extra={t('portal.newRequest.describeHint')}
        rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
      >
        <Input.TextArea rows={6} maxLength={10_000} data-testid="portal-description" />
      </Form.Item>
      <PortalFilePicker
        value={chosen}
        onChange={setChosen}
        disabled={busy}
        testId="portal-new-files"
      />
      <Button type="primary" htmlType="submit" loading={busy} data-testid="portal-submit">
        {t('portal.newRequest.submit')}
      </Button>
    </Form>
  );
}
