import { useState } from 'react';
import { Badge, Button, DatePicker, Flex, Input, Select, Tooltip } from 'antd';
import { ClearOutlined, FilterOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useTicketOptions } from '../../../lib/ticketLabels';
import { SORTS, type TicketSort } from '../../../api/ticketTypes';
import { CustomFieldFilter } from './CustomFieldFilter';
import { DEFAULT_SORT, type MultiFilter, type useConsoleFilters } from './useConsoleFilters';

type Console = ReturnType<typeof useConsoleFilters>;

const WIDTHS: Record<MultiFilter, number> = {
  status: 150,
  channel: 170,
  category: 190,
  tier: 110,
  priority: 150,
};

/** Filters behind "More filters": the first row stays one row at 1280 px (issue 9). */
const MORE: readonly MultiFilter[] = ['priority', 'category', 'channel'];

/**
 * Filters of the agent console: search, status, tier and sort on one row; priority, category,
 * channel, custom field and received dates behind "More filters" (open when any of them is set).
 */
export function TicketFilterBar({ console: c }: { console: Console }) {
  const { t } = useTranslation();
  const options = useTicketOptions();
  const { filters } = c;
  const day = (iso?: string) => (iso ? dayjs(iso) : null);
  const range: [dayjs.Dayjs | null, dayjs.Dayjs | null] | null =
    filters.from || filters.to ? [day(filters.from), day(filters.to)] : null;
  const hiddenActive =
    MORE.filter((key) => c.multi(key).length > 0).length +
    (filters.customField ? 1 : 0) +
    (range ? 1 : 0);
  const [more, setMore] = useState(hiddenActive > 0);

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
    <Flex vertical gap={8} style={{ marginBottom: 12 }}>
      <Flex wrap gap={8}>
        <Input.Search
          key={filters.q ?? ''}
          allowClear
          defaultValue={filters.q}
          placeholder={t('tickets.filters.searchPlaceholder')}
          onSearch={(value) => c.update({ q: value.trim() })}
          style={{ width: 180 }}
          data-testid="ticket-search"
        />
        {(['status', 'tier'] as const).map(multiSelect)}
        <Select<TicketSort>
          value={filters.sort ?? DEFAULT_SORT}
          onChange={(sort) => c.update({ sort: sort === DEFAULT_SORT ? undefined : sort })}
          options={SORTS.map((value) => ({ value, label: t(`tickets.sort.${value}`) }))}
          style={{ width: 140 }}
          aria-label={t('tickets.sort.label')}
          data-testid="ticket-sort"
        />
        <Badge count={more ? 0 : hiddenActive} size="small">
          <Button
            icon={<FilterOutlined />}
            type={more ? 'primary' : 'default'}
            ghost={more}
            onClick={() => setMore(!more)}
            aria-expanded={more}
            data-testid="filters-more"
          >
            {t('tickets.filters.more')}
          </Button>
        </Badge>
        <Tooltip title={t('common.reset')}>
          <Button
            icon={<ClearOutlined />}
            onClick={c.reset}
            aria-label={t('common.reset')}
            data-testid="filters-reset"
          />
        </Tooltip>
      </Flex>
      {more && (
        <Flex wrap gap={8} data-testid="filters-more-row">
          {MORE.map(multiSelect)}
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
        </Flex>
      )}
    </Flex>
  );
}
