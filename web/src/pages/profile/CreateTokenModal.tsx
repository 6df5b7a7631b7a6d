import { Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCreateApiToken, useMeta, type CreateTokenInput } from '../../api/profile';
import type { CreatedApiToken } from '../../api/types';
import { useApiErrorHandler } from '../../lib/errors';

const EXPIRY_DAYS = [7, 30, 90, 180, 365];

interface Props {
  open: boolean;
  onClose: () => void;
  onCreated: (created: CreatedApiToken) => void;
}

export function CreateTokenModal({ open, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateTokenInput>();
  const meta = useMeta();
  const create = useCreateApiToken();
  const onError = useApiErrorHandler();

  const submit = (values: CreateTokenInput) => {
    create.mutate(
      { ...values, name: values.name.trim() },
      {
        onSuccess: (res) => onCreated(res.data),
        onError: (error) => onError(error, form),
      },
    );
  };

  const required = { required: true, message: t('validation.required') };
  return (
    <Modal
      title={t('tokens.create')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form<CreateTokenInput>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ scopes: [], expiresInDays: 90 }}
        onFinish={submit}
        data-testid="token-form"
      >
        <Form.Item
          name="name"
          label={t('fields.tokenName')}
          rules={[{ ...required, whitespace: true }]}
        >
          <Input autoComplete="off" maxLength={100} />
        </Form.Item>
        <Form.Item
          name="scopes"
          label={t('fields.scopes')}
          rules={[{ ...required, type: 'array', min: 1 }]}
        >
          <Select
            mode="multiple"
            loading={meta.isPending}
            options={(meta.data?.scopes ?? []).map((scope) => ({ value: scope, label: scope }))}
            data-testid="token-scopes"
          />
        </Form.Item>
        <Form.Item name="expiresInDays" label={t('fields.expiresIn')} rules={[required]}>
          <Select
            options={EXPIRY_DAYS.map((days) => ({
              value: days,
              label: t('tokens.days', { count: days }),
            }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
