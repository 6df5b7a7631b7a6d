import { Col, DatePicker, Form, Input, InputNumber, Row, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { fieldsFor, useTicketFields, type TicketField } from '../../../api/ticketAdmin';

/** Label of a custom field or of one of its options, in the interface language. */
export function useFieldLabel() {
  const { i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  return (x: { labelZh: string; labelEn: string }) => (zh ? x.labelZh : x.labelEn);
}

/** A stored value as text ("华东、华南", "是", "2026-11-25"). */
export function useFormatFieldValue() {
  const { t } = useTranslation();
  const label = useFieldLabel();
  return (field: TicketField, value: unknown): string => {
    const option = (v: unknown) => {
      const o = field.options.find((x) => x.value === v);
      return o ? label(o) : String(v);
    };
    if (value === null || value === undefined) return t('tickets.none');
    if (field.type === 'boolean')
      return t(value ? 'ticketAdmin.values.yes' : 'ticketAdmin.values.no');
    if (field.type === 'select') return option(value);
    if (Array.isArray(value)) return value.map(option).join(t('common.listSeparator'));
    return String(value as string | number);
  };
}

/** The non-empty custom values of a form, ready to send on creation. */
export function presentValues(values: Record<string, unknown> | undefined) {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * Form.Item injects `value`, `onChange`, `id`… into its direct child: they must reach the
 * input, or the form never sees what was entered.
 */
function FieldInput({ field, ...control }: { field: TicketField } & Record<string, unknown>) {
  const label = useFieldLabel();
  const options = field.options.map((o) => ({ value: o.value, label: label(o) }));
  switch (field.type) {
    case 'text':
      return <Input maxLength={2000} {...control} />;
    case 'number':
      return <InputNumber style={{ width: '100%' }} {...control} />;
    case 'date':
      return <DatePicker style={{ width: '100%' }} {...control} />;
    case 'boolean':
      return <Switch {...control} />;
    case 'select':
      return <Select allowClear options={options} {...control} />;
    case 'multiselect':
      return <Select mode="multiple" allowClear options={options} {...control} />;
  }
}

/**
 * Form items for the active custom fields of `category`, named `['customFields', key]` so the
 * server's field errors (`customFields.<key>`) land on them.
 */
export function CustomFieldInputs({ category }: { category?: string }) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const fields = fieldsFor(useTicketFields().data, category);
  if (fields.length === 0) return null;
  return (
    <Row gutter={16} data-testid="custom-fields">
      {fields.map((field) => (
        <Col xs={24} md={12} key={field.key}>
          <Form.Item
            name={['customFields', field.key]}
            label={label(field)}
            rules={
              field.required && field.type !== 'boolean'
                ? [{ required: true, message: t('validation.required') }]
                : []
            }
            {...(field.type === 'boolean' && { valuePropName: 'checked' })}
            {...(field.type === 'date' && {
              getValueProps: (value?: string) => ({ value: value ? dayjs(value) : undefined }),
              normalize: (value?: Dayjs | null) => value?.format('YYYY-MM-DD') ?? null,
            })}
            data-testid={`custom-field-${field.key}`}
          >
            <FieldInput field={field} />
          </Form.Item>
        </Col>
      ))}
    </Row>
  );
}
