import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../context.js';
import { dataOf, noContent } from '../../lib/http.js';
import { recordAudit } from '../audit/service.js';
import { businessFunnel } from './business-time.js';
import { htmlToPdf, renderReportHtml } from './pdf.js';
import { reportsPolicy } from './policy.js';
import { repeatSummary, repeatTickets, reportSettings, updateReportSettings } from './repeats.js';
import { serviceReport } from './report.js';
import { ledgerQuery } from './schemas.js';
import {
  businessFunnelSchema,
  repeatQuery,
  repeatSummarySchema,
  repeatTicketsQuery,
  repeatTicketsSchema,
  reportSettingsSchema,
  scheduleInput,
  scheduleParams,
  schedulePatch,
  scheduleSchema,
  serviceReportPdfQuery,
  serviceReportQuery,
  serviceReportSchema,
} from './report-schemas.js';
import {
  createSchedule,
  deleteSchedule,
  listSchedules,
  reportFileName,
  updateSchedule,
} from './schedules.js';

/** The service report (page data and PDF), repeat problems, report settings and schedules. */
export async function serviceReportRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;
  const tags = ['reports'];

  r.get('/reports/service-report', {
    config: { permission: reportsPolicy.read },
    schema: {
      tags,
      summary: 'The monthly or quarterly service report (what the printable page shows)',
      querystring: serviceReportQuery,
      response: { 200: dataOf(serviceReportSchema) },
    },
    handler: async (req) => ({
      data: await serviceReport(db, requireActor(req.actor), clock.now(), req.query),
    }),
  });

  r.get('/reports/service-report/pdf', {
    config: { permission: reportsPolicy.export },
    schema: {
      tags,
      summary: 'The service report as a PDF, printed by headless Chromium (audited)',
      querystring: serviceReportPdfQuery,
      produces: ['application/pdf'],
      response: {
        200: z.any().describe('application/pdf').meta({ format: 'binary' }),
      },
    },
    handler: async (req, reply) => {
      const { lang, ...q } = req.query;
      const report = await serviceReport(db, requireActor(req.actor), clock.now(), q);
      const pdf = await htmlToPdf(renderReportHtml(report, lang));
      await recordAudit(db, req.auditContext(), {
        action: 'reports.export',
        targetType: 'report',
        after: { ...req.query, format: 'pdf' },
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${reportFileName(q.period)}"`)
        .send(pdf);
    },
  });

  r.get('/reports/repeats', {
    config: { permission: reportsPolicy.read },
    schema: {
      tags,
      summary: 'Repeat problems: same customer or subject pattern again within N days',
      querystring: repeatQuery,
      response: { 200: dataOf(repeatSummarySchema) },
    },
    handler: async (req) => ({ data: await repeatSummary(db, req.query) }),
  });

  r.get('/reports/repeats/tickets', {
    config: { permission: reportsPolicy.read },
    schema: {
      tags,
      summary: 'The repeating tickets counted (of one customer or pattern), newest first',
      querystring: repeatTicketsQuery,
      response: { 200: dataOf(repeatTicketsSchema) },
    },
    handler: async (req) => ({ data: await repeatTickets(db, req.query) }),
  });

  r.get('/reports/ledger/business-time', {
    config: { permission: reportsPolicy.read },
    schema: {
      tags,
      summary: 'The ledger’s time per status in business time (the default SLA calendar)',
      querystring: ledgerQuery,
      response: { 200: dataOf(businessFunnelSchema) },
    },
    handler: async (req) => ({ data: await businessFunnel(db, clock.now(), req.query) }),
  });

  r.get('/reports/settings', {
    config: { permission: reportsPolicy.read },
    schema: {
      tags,
      summary: 'Report settings (the repeat-problem window)',
      response: { 200: dataOf(reportSettingsSchema) },
    },
    handler: async () => ({ data: await reportSettings(db) }),
  });

  r.put('/reports/settings', {
    config: { permission: reportsPolicy.admin },
    schema: {
      tags,
      summary: 'Change the report settings (administrators; audited)',
      body: reportSettingsSchema.strict(),
      response: { 200: dataOf(reportSettingsSchema) },
    },
    handler: async (req) => ({
      data: await updateReportSettings(db, req.auditContext(), req.body),
    }),
  });

  r.get('/reports/schedules', {
    config: { permission: reportsPolicy.admin },
    schema: {
      tags,
      summary: 'Scheduled reports (mailed as PDF through the outbox)',
      response: { 200: dataOf(z.array(scheduleSchema)) },
    },
    handler: async () => ({ data: await listSchedules(db) }),
  });

  r.post('/reports/schedules', {
    config: { permission: reportsPolicy.admin },
    schema: {
      tags,
      summary: 'Define a scheduled report',
      body: scheduleInput,
      response: { 201: dataOf(scheduleSchema) },
    },
    handler: async (req, reply) =>
      reply.code(201).send({ data: await createSchedule(db, req.auditContext(), req.body) }),
  });

  r.patch('/reports/schedules/:id', {
    config: { permission: reportsPolicy.admin },
    schema: {
      tags,
      summary: 'Change a scheduled report',
      params: scheduleParams,
      body: schedulePatch,
      response: { 200: dataOf(scheduleSchema) },
    },
    handler: async (req) => ({
      data: await updateSchedule(db, req.auditContext(), req.params.id, req.body),
    }),
  });

  r.delete('/reports/schedules/:id', {
    config: { permission: reportsPolicy.admin },
    schema: {
      tags,
      summary: 'Delete a scheduled report',
      params: scheduleParams,
      response: { 204: noContent },
    },
    handler: async (req, reply) => {
      await deleteSchedule(db, req.auditContext(), req.params.id);
      return reply.code(204).send(null);
    },
  });
}
