import { useSearchParams } from 'react-router';
import type { TicketFilters } from '../../../api/tickets';
import { QUEUES, SORTS, type Queue, type TicketSort } from '../../../api/ticketTypes';

/** Multi-value filters, kept comma-separated in the URL exactly as the API takes them. */
export const MULTI_FILTERS = ['status', 'channel', 'category', 'tier', 'priority'] as const;
export type MultiFilter = (typeof MULTI_FILTERS)[number];

const SINGLE_FILTERS = ['q', 'from', 'to', 'tag', 'customField'] as const;

export const DEFAULT_QUEUE: Queue = 'mine';
export const DEFAULT_SORT: TicketSort = 'received_desc';

function isQueue(value: string | null): value is Queue {
  return value !== null && (QUEUES as readonly string[]).includes(value);
}

function isSort(value: string | null): value is TicketSort {
  return value !== null && (SORTS as readonly string[]).includes(value);
}

/** The list's filters as the address bar's search params say (also read by the page's prefetch). */
export function consoleFilters(params: URLSearchParams): TicketFilters {
  const queue = params.get('queue');
  const sort = params.get('sort');
  const filters: TicketFilters = {
    queue: isQueue(queue) ? queue : DEFAULT_QUEUE,
    sort: isSort(sort) ? sort : DEFAULT_SORT,
  };
  for (const key of [...MULTI_FILTERS, ...SINGLE_FILTERS]) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

/**
 * The console's queue, filters and sort live in the URL (`/tickets?queue=green_channel&tier=L3`),
 * so a view can be bookmarked, shared, saved and restored with the back button.
 */
export function useConsoleFilters() {
  const [params, setParams] = useSearchParams();
  const filters = consoleFilters(params);

  const multi = (key: MultiFilter): string[] => filters[key]?.split(',').filter(Boolean) ?? [];

  /** Merges changes into the URL; `undefined`, '' and [] remove a filter. */
  const update = (changes: Record<string, string | string[] | undefined>) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [key, value] of Object.entries(changes)) {
          const text = Array.isArray(value) ? value.join(',') : value;
          if (text) next.set(key, text);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );
  };

  /** Keeps the queue, drops every other filter. */
  const reset = () => setParams(new URLSearchParams({ queue: filters.queue ?? DEFAULT_QUEUE }));

  /**
   * Queue, filters and sort as a search string (what a saved view stores). Read from the address
   * bar, not from `params`: the router commits a new URL at once but re-renders in a transition,
   * so on a busy machine this render's `params` can still be the previous filter when the person
   * saves (the saved view then lacked the filter just picked).
   */
  const viewParams = (): string => new URLSearchParams(window.location.search).toString();

  const applyView = (search: string) => setParams(new URLSearchParams(search));

  return { filters, multi, update, reset, viewParams, applyView, params };
}
