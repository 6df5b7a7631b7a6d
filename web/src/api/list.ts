import { apiFetch, type ListResponse } from './client';

export const PAGE_SIZE = 50;

type Filters = Record<string, string | number | boolean | null | undefined>;

/** Fetches one cursor page of a list endpoint. */
export function fetchPage<T>(
  path: string,
  filters: Filters,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<ListResponse<T>> {
  return apiFetch<ListResponse<T>>(path, {
    query: { ...filters, cursor, limit: PAGE_SIZE },
    signal,
  });
}

/** Follows nextCursor until the end (bounded), for small lists used in pickers. */
export async function fetchAll<T>(path: string, signal?: AbortSignal, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const res: ListResponse<T> = await fetchPage<T>(path, {}, cursor, signal);
    items.push(...res.data);
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  return items;
}

/** Shared options for `useInfiniteQuery` over a cursor-paginated endpoint. */
export function cursorPaging<T>(path: string, filters: Filters) {
  return {
    queryFn: ({ pageParam, signal }: { pageParam: string | null; signal: AbortSignal }) =>
      fetchPage<T>(path, filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last: ListResponse<T>) => last.nextCursor ?? undefined,
  };
}
