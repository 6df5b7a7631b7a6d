import { useTranslation } from 'react-i18next';
import { useTicketCategories } from '../api/tickets';
import {
  CATEGORIES,
  CHANNELS,
  PRIORITIES,
  STATUSES,
  TIERS,
  type Priority,
  type TicketStatus,
  type Tier,
} from '../api/ticketTypes';

export const STATUS_COLORS: Record<TicketStatus, string> = {
  new: 'blue',
  accepted: 'cyan',
  in_progress: 'geekblue',
  pending_customer: 'gold',
  pending_internal: 'orange',
  resolved: 'green',
  closed: 'default',
  reopened: 'magenta',
  archived: 'default',
};

export const TIER_COLORS: Record<Tier, string> = { L1: 'green', L2: 'orange', L3: 'red' };

export const PRIORITY_COLORS: Record<Priority, string> = {
  urgent: 'red',
  important: 'orange',
  general: 'default',
};

const KNOWN_CATEGORIES = new Set<string>(CATEGORIES);

/**
 * Translated labels of the fixed vocabularies; unknown values fall back to the raw value. No
 * category list, so no query: what the tags of every table row use (issue 10).
 */
export function useEnumLabels() {
  const { t, i18n } = useTranslation();
  const of = (group: string) => (value: string) =>
    i18n.exists(`tickets.${group}.${value}`) ? t(`tickets.${group}.${value}`) : value;
  return {
    status: of('status'),
    channel: of('channel'),
    tier: of('tier'),
    priority: of('priority'),
    closeKind: of('closeKind'),
  };
}

/**
 * Translated labels for ticket enums and categories. Category labels come from the admin's list
 * (`GET /ticket-categories`) — not fetched on public portal pages.
 */
export function useTicketLabels({ staff = true }: { staff?: boolean } = {}) {
  const { t, i18n } = useTranslation();
  const enums = useEnumLabels();
  const categories = useTicketCategories(staff);
  const zh = i18n.language.startsWith('zh');

  const category = (key: string): string => {
    const configured = categories.data?.find((c) => c.key === key);
    if (configured) return zh ? configured.labelZh : configured.labelEn;
    return KNOWN_CATEGORIES.has(key) ? t(`tickets.category.${key}`) : key;
  };

  return { ...enums, category };
}

/** `{ value, label }` lists for selects. Categories: the admin's active list, else the defaults. */
export function useTicketOptions() {
  const labels = useTicketLabels();
  const categories = useTicketCategories();
  const categoryKeys = categories.data
    ? categories.data.filter((c) => c.active).map((c) => c.key)
    : [...CATEGORIES];
  const opts = <T extends string>(values: readonly T[], label: (v: T) => string) =>
    values.map((value) => ({ value, label: label(value) }));
  return {
    status: opts(STATUSES, labels.status),
    channel: opts(CHANNELS, labels.channel),
    tier: opts(TIERS, labels.tier),
    priority: opts(PRIORITIES, labels.priority),
    category: opts(categoryKeys, labels.category),
  };
}
