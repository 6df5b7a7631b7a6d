import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../../api/auth';
import { useTicketFields } from '../../../api/ticketAdmin';
import { useFieldLabel } from '../components/CustomFieldInputs';

/**
 * Filter by select, multiselect and boolean custom fields: one pick per `key:value`, all must
 * hold (the list API's `customField`, comma-separated in the URL).
 */
export function CustomFieldFilter({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange: (value: string[]) => void;
}) {
  const { t } = useTranslation();
  const can = useAbilities();
  const label = useFieldLabel();
  const fields = (useTicketFields(can('ticketFields.list')).data ?? []).filter(
    (f) => f.active && ['select', 'multiselect', 'boolean'].includes(f.type),
  );
  if (fields.length === 0) return null;
  const options = fields.map((f) => ({
    label: label(f),
    title: f.key,
    options:
      f.type === 'boolean'
        ? [true, false].map((b) => ({
            value: `${f.key}:${String(b)}`,
            label: `${label(f)}: ${t(b ? 'ticketAdmin.values.yes' : 'ticketAdmin.values.no')}`,
          }))
        : f.options.map((o) => ({
            value: `${f.key}:${o.value}`,
            label: `${label(f)}: ${label(o)}`,
          })),
  }));
  return (
    <Select
      mode="multiple"
      allowClear
      maxTagCount="responsive"
      placeholder={t('ticketAdmin.filter.placeholder')}
      options={options}
      value={value?.split(',').filter(Boolean) ?? []}
      onChange={onChange}
      optionFilterProp="label"
      style={{ width: 220 }}
      data-testid="filter-custom-fields"
    />
  );
}
