import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../context.js';
import { dataOf } from '../../lib/http.js';
import { problems } from '../../lib/problem.js';
import { recordAudit } from '../audit/service.js';
import { csvStream, dashboardTable, ticketTable, xlsxStream, type Table } from './export.js';
import { reportsPolicy } from './policy.js';
import { serviceReportRoutes } from './report-routes.js';
import {
  drillListQuery,
  drillSchema,
  exportQuery,
  ledgerQuery,
  ledgerSchema,
  monthDashboardSchema,
  monthFilterQuery,
  todayDrillQuery,
  todayExportQuery,
  todaySchema,
  todayTicketsSchema,
} from './schemas.js';
import { monthLedger } from './ledger.js';
import { todayBoard, todayTicketBatches, todayTickets } from './today.js';
import { checkDrill, drillTicketBatches, drillTickets, monthDashboard } from './service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Reports over the KPI engine: the month dashboard, drill-downs and exports (docs/reports.md). */
export async function reportsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, database, clock } = app.deps;
  const tags = ['reports'];
  await serviceReportRoutes(app);

  r.get('/reports/month', {
    config: { permission: reportsPolicy.read },
    schema: {
      tags,
      summary: 'The month against the targets: headline KPIs, 12-month trend, agents, teams',
      querystring: monthFilterQuery,
      response: { 200: dataOf(monthDashboardSchema) },
    },
    handler: async (req) => ({
      data: await monthDashboard(db, requireActor(req.actor), clock.now(), req.query),
    }),
  });

  r.get('/reports/today', {
    config: { permission: reportsPolicy.read },
    schema: {
      tags,
      summary: 'Today on the floor: volume by channel and hour, queues, SLA, complaints, CSAT',
      response: { 200: dataOf(todaySchema) },
    },
    handler: async (req) => ({
      data: await todayBoard(db, requireActor(req.actor), clock.now()),
    }),
  });

  r.get('/reports/today/tickets', {
    config: { permission: reportsPolicy.read },
    schema: {
      tags,
      summary: 'The tickets behind a number of the today board (exactly those counted)',
      querystring: todayDrillQuery,
      response: { 200: dataOf(todayTicketsSchema) },
    },
    handler: async (req) => ({
      data: await todayTickets(db, requireActor(req.actor), clock.now(), req.query),
    }),
  });

  r.get('/reports/today/export', {
    config: { permission: reportsPolicy.export },
    schema: {
      tags,
      summary:
        'Export the tickets behind a number of the today board as Excel or CSV (streamed; audited)',
      querystring: todayExportQuery,
      produces: [XLSX, 'text/csv'],
    },
    handler: async (req, reply) => {
      const actor = requireActor(req.actor);
      const q = req.query;
      const now = clock.now();
      // Checked (and the figure fixed at `now`) before the audit and the first byte.
      const batches = await todayTicketBatches(db, actor, now, q);
      const table = ticketTable(
        `today-${q.figure}${q.queue ? `-${q.queue}` : ''}${q.channel ? `-${q.channel}` : ''}${
          q.hour !== undefined ? `-${q.hour}h` : ''
        }`,
        batches,
      );
      // Exports are audited: personal data may leave the system (SPEC 12).
      await recordAudit(db, req.auditContext(), {
        action: 'reports.export',
        targetType: 'report',
        after: { ...q, table: 'today-tickets', at: now.toISOString() },
      });
      const file = `kefu-${table.name}.${q.format}`;
      const body = q.format === 'csv' ? csvStream(table) : xlsxStream(table);
      body.on('error', (err) => req.log.error({ err }, 'report export failed'));
      return reply
        .type(q.format === 'csv' ? 'text/csv; charset=utf-8' : XLSX)
        .header('content-disposition', `attachment; filename="${file}"`)
        .send(body);
    },
  });

  r.get('/reports/ledger', {
    config: { permission: reportsPolicy.read },
    schema: {
      tags,
      summary: 'The service ledger of a month: categories, tags, complaint causes, weak links',
      querystring: ledgerQuery,
      response: { 200: dataOf(ledgerSchema) },
    },
    handler: async (req) => ({ data: await monthLedger(db, clock.now(), req.query) }),
  });

  r.get('/reports/month/tickets', {
    config: { permission: reportsPolicy.read },
    schema: {
      tags,
      summary: 'The tickets behind a KPI’s numerator or denominator (exactly those counted)',
      querystring: drillListQuery,
      response: { 200: dataOf(drillSchema) },
    },
    handler: async (req) => ({
      data: await drillTickets(db, requireActor(req.actor), req.query),
    }),
  });

  r.get('/reports/month/export', {
    config: { permission: reportsPolicy.export },
    schema: {
      tags,
      summary: 'Export a report table as Excel or CSV (streamed; audited)',
      querystring: exportQuery,
      produces: [XLSX, 'text/csv'],
    },
    handler: async (req, reply) => {
      const actor = requireActor(req.actor);
      const q = req.query;
      let table: Table;
      if (q.table === 'tickets') {
        if (!q.kpi) throw problems.invalid([{ path: 'kpi', message: 'required for tickets' }]);
        const drill = { ...q, kpi: q.kpi };
        await checkDrill(db, actor, drill);
        table = ticketTable(
          `tickets-${q.month}-${q.kpi}`,
          drillTicketBatches(database, actor, drill),
        );
      } else {
        table = dashboardTable(await monthDashboard(db, actor, clock.now(), q), q.table);
      }
      // Exports are audited: personal data may leave the system (SPEC 12).
      await recordAudit(db, req.auditContext(), {
        action: 'reports.export',
        targetType: 'report',
        after: q,
      });
      const file = `kefu-${table.name}.${q.format}`;
      const body = q.format === 'csv' ? csvStream(table) : xlsxStream(table);
      body.on('error', (err) => req.log.error({ err }, 'report export failed'));
      return reply
        .type(q.format === 'csv' ? 'text/csv; charset=utf-8' : XLSX)
        .header('content-disposition', `attachment; filename="${file}"`)
        .send(body);
    },
  });
}
