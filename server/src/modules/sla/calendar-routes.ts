import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataOf, noContent, pageOf } from '../../lib/http.js';
import { decodeCursor, pageQuery, toPage } from '../../lib/pagination.js';
import { problems } from '../../lib/problem.js';
import { idParams } from '../users/schemas.js';
import {
  createCalendar,
  exportIcs,
  findCalendar,
  importIcs,
  importYear,
  listCalendars,
  listDays,
  putDays,
  removeDay,
  setTeamCalendar,
  updateCalendar,
} from './calendars.js';
import { calendarCoverage } from './coverage.js';
import { slaPolicy } from './policy.js';
import {
  calendarBody,
  calendarPatchBody,
  calendarSchema,
  dayParams,
  daySchema,
  daysBody,
  coverageSchema,
  icsImportBody,
  icsImportResult,
  importYearBody,
  importYearResult,
  listDaysQuery,
  teamCalendarBody,
} from './schemas.js';

const daysResult = z.object({
  added: z.number().int(),
  changed: z.number().int(),
  unchanged: z.number().int(),
  removed: z.number().int(),
});

export async function slaCalendarRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;
  const tags = ['sla'];

  r.get('/sla/calendars', {
    config: { permission: slaPolicy.read },
    schema: {
      tags,
      summary: 'List business calendars',
      querystring: pageQuery,
      response: { 200: pageOf(calendarSchema) },
    },
    handler: async (req) => {
      const { limit, cursor } = req.query;
      const { rows, views } = await listCalendars(db, limit, decodeCursor(cursor));
      const page = toPage(rows, limit, (c) => ({ at: c.createdAt.toISOString(), id: c.id }));
      return { data: views, nextCursor: page.nextCursor };
    },
  });

  r.post('/sla/calendars', {
    config: { permission: slaPolicy.calendarsWrite },
    schema: {
      tags,
      summary: 'Create a business calendar',
      body: calendarBody,
      response: { 201: dataOf(calendarSchema) },
    },
    handler: async (req, reply) =>
      reply.code(201).send({ data: await createCalendar(db, req.auditContext(), req.body) }),
  });

  r.get('/sla/calendars/:id', {
    config: { permission: slaPolicy.read },
    schema: {
      tags,
      summary: 'Get a business calendar',
      params: idParams,
      response: { 200: dataOf(calendarSchema) },
    },
    handler: async (req) => {
      const calendar = await findCalendar(db, req.params.id);
      if (!calendar) throw problems.notFound('Calendar', 'id');
      return { data: calendar };
    },
  });

  r.patch('/sla/calendars/:id', {
    config: { permission: slaPolicy.calendarsWrite },
    schema: {
      tags,
      summary:
        'Change a calendar’s name, zone, weekly hours, make-up-day hours, or make it the default',
      params: idParams,
      body: calendarPatchBody,
      response: { 200: dataOf(calendarSchema) },
    },
    handler: async (req) => ({
      data: await updateCalendar(db, req.auditContext(), req.params.id, req.body),
    }),
  });

  r.get('/sla/calendars/:id/days', {
    config: { permission: slaPolicy.read },
    schema: {
      tags,
      summary: 'List a calendar’s holidays and make-up working days (调休), by date',
      params: idParams,
      querystring: listDaysQuery,
      response: { 200: pageOf(daySchema) },
    },
    handler: async (req) => {
      const { year, limit, cursor } = req.query;
      const rows = await listDays(db, req.params.id, year, limit, decodeCursor(cursor, 'date')?.id);
      return toPage(rows, limit, (d) => ({ at: `${d.date}T00:00:00.000Z`, id: d.date }));
    },
  });

  r.post('/sla/calendars/:id/days', {
    config: { permission: slaPolicy.calendarsWrite },
    schema: {
      tags,
      summary: 'Add or change days (a date already listed is replaced)',
      params: idParams,
      body: daysBody,
      response: { 200: dataOf(daysResult) },
    },
    handler: async (req) => ({
      data: await putDays(db, req.auditContext(), req.params.id, req.body.days),
    }),
  });

  r.delete('/sla/calendars/:id/days/:date', {
    config: { permission: slaPolicy.calendarsWrite },
    schema: {
      tags,
      summary: 'Remove a day (it follows the weekly hours again)',
      params: dayParams,
      response: { 204: noContent },
    },
    handler: async (req, reply) => {
      await removeDay(db, req.auditContext(), req.params.id, req.params.date);
      return reply.code(204).send(null);
    },
  });

  r.post('/sla/calendars/:id/import-ics', {
    config: { permission: slaPolicy.calendarsWrite },
    schema: {
      tags,
      summary: 'Import holidays and make-up days from an .ics file (format in docs/sla.md)',
      params: idParams,
      body: icsImportBody,
      response: { 200: dataOf(icsImportResult) },
    },
    handler: async (req) => ({
      data: await importIcs(db, req.auditContext(), req.params.id, req.body.ics, req.body.mode),
    }),
  });

  r.post('/sla/calendars/:id/import-year', {
    config: { permission: slaPolicy.calendarsWrite },
    schema: {
      tags,
      summary: 'Load one year of holidays and make-up days: bundled data, or an .ics / JSON file',
      params: idParams,
      body: importYearBody,
      response: { 200: dataOf(importYearResult) },
    },
    handler: async (req) => ({
      data: await importYear(db, req.auditContext(), req.params.id, req.body),
    }),
  });

  r.get('/sla/calendar-coverage', {
    config: { permission: slaPolicy.read },
    schema: {
      tags,
      summary: 'Whether each calendar has holiday data for the coming calendarWarningDays',
      response: { 200: dataOf(coverageSchema) },
    },
    handler: async () => ({ data: await calendarCoverage(db, clock.now()) }),
  });

  r.get('/sla/calendars/:id/export.ics', {
    config: { permission: slaPolicy.read },
    schema: {
      tags,
      summary: 'Export the holidays and make-up days as an .ics file (text/calendar)',
      params: idParams,
    },
    handler: async (req, reply) => {
      const { ics } = await exportIcs(db, req.params.id, clock.now());
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="kefu-calendar-${req.params.id}.ics"`)
        .send(ics);
    },
  });

  r.put('/sla/teams/:id/calendar', {
    config: { permission: slaPolicy.calendarsWrite },
    schema: {
      tags,
      summary: 'Choose the calendar a team works on (null = the default calendar)',
      params: idParams,
      body: teamCalendarBody,
      response: {
        200: dataOf(z.object({ teamId: z.uuid(), calendarId: z.uuid().nullable() })),
      },
    },
    handler: async (req) => ({
      data: await setTeamCalendar(db, req.auditContext(), req.params.id, req.body.calendarId),
    }),
  });
}
