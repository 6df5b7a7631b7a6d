import { definePermission, hasAnyRole } from '../../access/permissions.js';

/**
 * Reports are the supervisors' and administrators' view over the KPI engine (agents see their
 * own results on the KPI page). Record rules come from the KPI engine (kpi/policy.ts): a
 * supervisor sees the agents and teams of their teams, an administrator everything. Exports
 * carry personal data out of the system: they need the export permission and are audited.
 */
export const reportsPolicy = {
  read: definePermission('reports.read', 'reports:read', hasAnyRole('supervisor', 'admin')),
  export: definePermission('reports.export', 'reports:read', hasAnyRole('supervisor', 'admin')),
  /** Report settings and scheduled reports (recipients outside the system): administrators. */
  admin: definePermission('reports.admin', 'reports:write', hasAnyRole('admin')),
};
