import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { pageOf } from '../../lib/http.js';
import { decodeCursor, pageQuery, toPage, type CursorKey } from '../../lib/pagination.js';
import { auditPolicy } from './policy.js';
import { listAuditEvents, recordAudit, targetLabels, type AuditFilter } from './service.js';

const auditEventSchema = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    actorId: z.string().nullable(),
    actorName: z.string().nullable(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    targetLabel: z
      .string()
      .nullable()
      .describe(
        'Readable target: ticket number and subject, or the user’s / customer’s / team’s name',
      ),
    diff: z.unknown(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' });

const filterQuery = z.object({
  actorId: z.uuid().optional(),
  action: z.string().trim().max(100).optional().describe('Prefix, e.g. "user." or "user.create"'),
  targetType: z.string().trim().max(50).optional(),
  targetId: z.string().trim().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

type Row = Awaited<ReturnType<typeof listAuditEvents>>[number];
const present = (e: Row) => ({ ...e, id: String(e.id), at: e.at.toISOString() });
const keyOf = (e: Row): CursorKey => ({ at: e.at.toISOString(), id: String(e.id) });

/** All matching events, newest first, fetched in batches so an export never loads the table at once. */
async function* allEvents(db: Db, filter: AuditFilter) {
  let after: CursorKey | undefined;
  for (;;) {
    const batch = await listAuditEvents(db, filter, 1000, after);
    for (const e of batch) yield e;
    const last = batch[batch.length - 1];
    if (batch.length < 1000 || !last) return;
    after = keyOf(last);
  }
}

export async function auditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const tags = ['audit'];

  r.get('/audit-events', {
    config: { permission: auditPolicy.list },
    schema: {
      tags,
      summary: 'Search the audit log',
      querystring: pageQuery.extend(filterQuery.shape),
      response: { 200: pageOf(auditEventSchema) },
    },
    handler: async (req) => {
      const { limit, cursor, ...filter } = req.query;
      const rows = await listAuditEvents(db, filter, limit + 1, decodeCursor(cursor, 'bigint'));
      const page = toPage(rows, limit, keyOf);
      const labels = await targetLabels(db, page.data);
      return {
        data: page.data.map((e) => ({
          ...present(e),
          targetLabel: labels.get(`${e.targetType}:${e.targetId}`) ?? null,
        })),
        nextCursor: page.nextCursor,
      };
    },
  });

  r.get('/audit-events.csv', {
    config: { permission: auditPolicy.export },
    schema: {
      tags,
      summary: 'Export the audit log as CSV (same filters as the list)',
      querystring: filterQuery,
      produces: ['text/csv'],
    },
    handler: async (req, reply) => {
      // Exports are themselves audited (SPEC 12: audit of every access and export).
      await recordAudit(db, req.auditContext(), {
        action: 'audit.export',
        targetType: 'audit_log',
        after: req.query,
      });
      const csv = stringify({
        bom: true, // so spreadsheet apps read Chinese text as UTF-8
        header: true,
        columns: [
          'id',
          'at',
          'actorId',
          'actorName',
          'action',
          'targetType',
          'targetId',
          'diff',
          'ip',
          'userAgent',
          'requestId',
        ],
        // Neutralise spreadsheet formulas in user-controlled text (CSV injection).
        cast: { string: (v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v) },
      });
      // A failed read mid-export ends the download; it must never be an uncaught error.
      Readable.from(allEvents(db, req.query))
        .map((e: Row) => ({ ...present(e), diff: e.diff === null ? '' : JSON.stringify(e.diff) }))
        .on('error', (err) => {
          req.log.error({ err }, 'audit export failed');
          csv.destroy(err);
        })
        .pipe(csv);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="kefu-audit-log.csv"')
        .send(csv);
    },
  });
}
