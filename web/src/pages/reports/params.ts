import type { DrillFilter, ReportFilter, TodayDrillFilter } from '../../api/reports';

const FILTER_KEYS = ['teamId', 'agentId', 'channel', 'category', 'tier'] as const;
const SCOPE_KEYS = ['channel', 'category', 'tier'] as const;

/** The previous month, YYYY-MM (the month a report is usually about). */
export function lastMonth(now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** Which view of the reports page the URL asks for (the month dashboard unless it says). */
export function viewOf(p: URLSearchParams): 'month' | 'today' | 'ledger' {
  const view = p.get('view');
  return view === 'today' || view === 'ledger' ? view : 'month';
}

/** The dashboard's filters from the URL. */
export function filterOf(p: URLSearchParams): ReportFilter {
  const f: ReportFilter = { month: p.get('month') ?? lastMonth() };
  for (const k of FILTER_KEYS) {
    const v = p.get(k);
    if (v) f[k] = v;
  }
  return f;
}

/** The URL of the ticket list behind a number. */
export function drillHref(
  f: ReportFilter,
  d: Pick<DrillFilter, 'kpi' | 'part' | 'subject' | 'id'>,
): string {
  // The connection rate counts calls, not tickets: its figures are on the call log.
  if (d.kpi === 'phone_connection_rate') return '/calls';
  const p = new URLSearchParams({ month: f.month, kpi: d.kpi, part: d.part, subject: d.subject });
  if (d.id) p.set('id', d.id);
  for (const k of SCOPE_KEYS) if (f[k]) p.set(k, f[k]);
  return `/reports/tickets?${p.toString()}`;
}

/** The drill-down from the URL. */
export function drillOf(p: URLSearchParams): DrillFilter {
  const d: DrillFilter = {
    month: p.get('month') ?? lastMonth(),
    kpi: (p.get('kpi') ?? 'response_timeliness') as DrillFilter['kpi'],
    part: p.get('part') === 'numerator' ? 'numerator' : 'denominator',
    subject: (p.get('subject') ?? 'total') as DrillFilter['subject'],
  };
  const id = p.get('id');
  if (id) d.id = id;
  for (const k of SCOPE_KEYS) {
    const v = p.get(k);
    if (v) d[k] = v;
  }
  return d;
}

const TODAY_FIGURES: TodayDrillFilter['figure'][] = [
  'received',
  'waiting',
  'slaAtRisk',
  'slaBreached',
  'greenComplaints',
  'queue',
  'csat',
];

/** The URL of the ticket list behind a number of the today board. */
export function todayDrillHref(d: TodayDrillFilter): string {
  const p = new URLSearchParams({ figure: d.figure });
  if (d.channel) p.set('channel', d.channel);
  if (d.hour !== undefined) p.set('hour', String(d.hour));
  if (d.queue) p.set('queue', d.queue);
  return `/reports/today/tickets?${p.toString()}`;
}

/** The today drill-down from the URL. */
export function todayDrillOf(p: URLSearchParams): TodayDrillFilter {
  const figure = p.get('figure') as TodayDrillFilter['figure'] | null;
  const d: TodayDrillFilter = {
    figure: figure && TODAY_FIGURES.includes(figure) ? figure : 'received',
  };
  const channel = p.get('channel');
  if (channel) d.channel = channel;
  const hour = p.get('hour');
  if (hour !== null && /^\d{1,2}$/.test(hour)) d.hour = Number(hour);
  const queue = p.get('queue');
  if (queue) d.queue = queue;
  return d;
}
