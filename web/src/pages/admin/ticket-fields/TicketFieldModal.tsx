import { App, Button, Checkbox, Flex, Form, Input, InputNumber, Modal, Select, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  FIELD_TYPES,
  useSaveTicketField,
  type FieldOption,
  type FieldType,
  type TicketField,
} from '../../../api/ticketAdmin';
import { useApiErrorHandler } from '../../../lib/errors';
import { useTicketOptions } from '../../../lib/ticketLabels';

interface Values {
  key: string;
  labelZh: string;
  labelEn: string;
  type: FieldType;
  options?: FieldOption[];
  required: boolean;
  active: boolean;
  position?: number;
  categories: string[];
}

const hasOptions = (type?: FieldType) => type === 'select' || type === 'multiselect';

/** Define or edit a custom field; key and type are fixed once created. */
export function TicketFieldModal({ field, onClose }: { field?: TicketField; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const save = useSaveTicketField();
  const onError = useApiErrorHandler();
  const ticketOptions = useTicketOptions();
  const type = Form.useWatch('type', form) ?? field?.type;
  const required = { required: true, whitespace: true, message: t('validation.required') };

  const submit = (values: Values) => {
    const common = {
      labelZh: values.labelZh.trim(),
      labelEn: values.labelEn.trim(),
      options: hasOptions(values.type ?? field?.type) ? (values.options ?? []) : [],
      required: values.required,
      active: values.active,
      categories: values.categories ?? [],
      ...(values.position !== undefined &&
        values.position !== null && {
          position: values.position,
        }),
    };
    save.mutate(
      field ? { id: field.id, ...common } : { ...common, key: values.key, type: values.type },
      {
        onSuccess: () => {
          void message.success(t('ticketAdmin.fields.saved'));
          onClose();
        },
        onError: (error) => onError(error, form),
      },
    );
  };

  return (
    <Modal
      open
      title={field ? t('ticketAdmin.fields.edit') : t('ticketAdmin.fields.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          field ?? { type: 'text', required: false, active: true, categories: [], options: [] }
        }
        data-testid="field-form"
      >
        <Flex gap={12}>
          <Form.Item
            name="key"
            label={t('ticketAdmin.fields.key')}
            extra={t('ticketAdmin.fields.keyHint')}
            rules={[
              required,
              { pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t('ticketAdmin.fields.keyHint') },
            ]}
            style={{ flex: 1 }}
          >
            <Input disabled={!!field} maxLength={40} />
          </Form.Item>
          <Form.Item name="type" label={t('ticketAdmin.fields.type')} style={{ flex: 1 }}>
            <Select
              disabled={!!field}
              options={FIELD_TYPES.map((v) => ({ value: v, label: t(`ticketAdmin.types.${v}`) }))}
            />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item
            name="labelZh"
            label={t('ticketAdmin.fields.labelZh')}
            rules={[required]}
            style={{ flex: 1 }}
          >
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item
            name="labelEn"
            label={t('ticketAdmin.fields.labelEn')}
            rules={[required]}
            style={{ flex: 1 }}
          >
            <Input maxLength={50} />
          </Form.Item>
        </Flex>
        {hasOptions(type) && (
          <Form.Item label={t('ticketAdmin.fields.options')} required>
            <Form.List name="options">
              {(rows, { add, remove }) => (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {rows.map((row) => (
                    <Space.Compact key={row.key} style={{ width: '100%' }}>
                      <Form.Item name={[row.name, 'value']} noStyle rules={[required]}>
                        <Input placeholder={t('ticketAdmin.fields.optionValue')} maxLength={40} />
                      </Form.Item>
                      <Form.Item name={[row.name, 'labelZh']} noStyle rules={[required]}>
                        <Input placeholder={t('ticketAdmin.fields.labelZh')} maxLength={50} />
                      </Form.Item>
                      <Form.Item name={[row.name, 'labelEn']} noStyle rules={[required]}>
                        <Input placeholder={t('ticketAdmin.fields.labelEn')} maxLength={50} />
                      </Form.Item>
                      <Button
                        icon={<DeleteOutlined />}
                        onClick={() => remove(row.name)}
                        aria-label={t('ticketAdmin.fields.removeOption')}
                      />
                    </Space.Compact>
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add()} type="dashed">
                    {t('ticketAdmin.fields.addOption')}
                  </Button>
                </Space>
              )}
            </Form.List>
          </Form.Item>
        )}
        <Form.Item
          name="categories"
          label={t('ticketAdmin.fields.categories')}
          extra={t('ticketAdmin.fields.categoriesHint')}
        >
          <Select mode="multiple" allowClear options={ticketOptions.category} />
        </Form.Item>
        <Flex gap={24} align="center">
          <Form.Item name="required" valuePropName="checked">
            <Checkbox>{t('ticketAdmin.fields.required')}</Checkbox>
          </Form.Item>
          <Form.Item name="active" valuePropName="checked">
            <Checkbox>{t('ticketAdmin.fields.active')}</Checkbox>
          </Form.Item>
          <Form.Item name="position" label={t('ticketAdmin.fields.position')}>
            <InputNumber min={0} max={100000} />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}
