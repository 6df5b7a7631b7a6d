import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { withQuery } from './client';
import { cursorPaging } from './list';
import type { AuditEvent } from './types';

export interface AuditFilters {
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
}

export function useAuditEvents(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ['audit', 'list', filters],
    ...cursorPaging<AuditEvent>('/api/v1/audit-events', { ...filters }),
    placeholderData: keepPreviousData,
  });
}

/** Same-origin download URL for the CSV export with the given filters. */
export function auditCsvUrl(filters: AuditFilters): string {
  return withQuery('/api/v1/audit-events.csv', { ...filters });
}
