import { Button, DatePicker, Flex, Input, Select } from 'antd';
import { ClearOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useTicketOptions } from '../../../lib/ticketLabels';
import { SORTS, type TicketSort } from '../../../api/ticketTypes';
import { CustomFieldFilter } from './CustomFieldFilter';
import { DEFAULT_SORT, type MultiFilter, type useConsoleFilters } from './useConsoleFilters';

type Console = ReturnType<typeof useConsoleFilters>;

const WIDTHS: Record<MultiFilter, number> = {
  status: 200,
  channel: 170,
  category: 190,
  tier: 130,
  priority: 150,
};

/** Filters of the agent console: text, multi-selects, received-date range. */
export function TicketFilterBar({ console: c }: { console: Console }) {
  const { t } = useTranslation();
  const options = useTicketOptions();
  const { filters } = c;
  const day = (iso?: string) => (iso ? dayjs(iso) : null);
  const range: [dayjs.Dayjs | null, dayjs.Dayjs | null] | null =
    filters.from || filters.to ? [day(filters.from), day(filters.to)] : null;

  const multiSelect = (key: MultiFilter) => (
    <Select
      key={key}
      mode="multiple"
      allowClear
      maxTagCount="responsive"
      placeholder={t(`tickets.fields.${key}`)}
      options={options[key]}
      value={c.multi(key)}
      onChange={(value: string[]) => c.update({ [key]: value })}
      optionFilterProp="label"
      style={{ width: WIDTHS[key] }}
      data-testid={`filter-${key}`}
    />
  );

  return (
    <Flex wrap gap={8} style={{ marginBottom: 12 }}>
      <Input.Search
        key={filters.q ?? ''}
        allowClear
        defaultValue={filters.q}
        placeholder={t('tickets.filters.searchPlaceholder')}
        onSearch={(value) => c.update({ q: value.trim() })}
        style={{ width: 260 }}
        data-testid="ticket-search"
      />
      {(['status', 'tier', 'priority', 'category', 'channel'] as const).map(multiSelect)}
      <CustomFieldFilter
        value={filters.customField}
        onChange={(value) => c.update({ customField: value })}
      />
      <DatePicker.RangePicker
        allowEmpty={[true, true]}
        value={range}
        placeholder={[t('tickets.filters.receivedFrom'), t('tickets.filters.receivedTo')]}
        onChange={(dates) =>
          c.update({
            from: dates?.[0]?.startOf('day').toISOString(),
            to: dates?.[1]?.endOf('day').toISOString(),
          })
        }
        data-testid="filter-received"
      />
      <Select<TicketSort>
        value={filters.sort ?? DEFAULT_SORT}
        onChange={(sort) => c.update({ sort: sort === DEFAULT_SORT ? undefined : sort })}
        options={SORTS.map((value) => ({ value, label: t(`tickets.sort.${value}`) }))}
        style={{ width: 170 }}
        aria-label={t('tickets.sort.label')}
        data-testid="ticket-sort"
      />
      <Button icon={<ClearOutlined />} onClick={c.reset} data-testid="filters-reset">
        {t('common.reset')}
      </Button>
    </Flex>
  );
}
