import type { TablePaginationConfig } from 'antd';

/**
 * Per-agent and per-team tables (reports, KPI, the QA report) a page at a time, no pager when one
 * page holds them all: a 500-agent workspace's month rendered 500 rows of KPI cells at once and
 * took 4–6 s to show (issue 10, docs/benchmarks.md agent-pages). Filters find one row; the
 * exports hold every row.
 */
export const PAGED_ROWS: TablePaginationConfig = {
  defaultPageSize: 20,
  pageSizeOptions: [20, 50, 100],
  showSizeChanger: true,
  hideOnSinglePage: true,
};
