import type { Readable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.js';
import { attachments, tickets } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import type { AuditContext } from '../audit/service.js';
import { INLINE_TYPES, servedType } from '../attachments/rules/content-type.js';
import { contentDisposition } from '../attachments/rules/filename.js';
import type { AttachmentView } from '../attachments/schemas.js';
import { storeTicketAttachment, type AttachmentDeps } from '../attachments/service.js';
import { StorageNotFound } from '../attachments/storage.js';
import type { SpooledFile } from '../attachments/upload.js';
import { findMine, mine, requireReplyable } from './requests.js';
import type { PortalPrincipal } from './session.js';

export interface PortalAttachment {
  id: string;
  filename: string;
  mimeType: string;
  size: number;
  url: string;
}

export const portalAttachmentUrl = (id: string) => `/api/v1/portal/attachments/${id}/content`;

const portalView = (a: Pick<AttachmentView, 'id' | 'filename' | 'mimeType' | 'size'>) => ({
  id: a.id,
  filename: a.filename,
  mimeType: a.mimeType,
  size: a.size,
  url: portalAttachmentUrl(a.id),
});

/**
 * Refuses an upload before a byte is read: the request must be the customer's (else 404
 * naming `id`) and still open (409 `ticket_closed`).
 */
export async function checkUploadTarget(db: Db, p: PortalPrincipal, ticketId: string) {
  requireReplyable(await findMine(db, p, ticketId));
}

/**
 * The customer's file on their request: the staff upload's size and type checks (413/415),
 * always public, an `attachment` timeline entry by the customer, audited.
 */
export async function attachToMyRequest(
  deps: AttachmentDeps,
  ctx: AuditContext,
  p: PortalPrincipal,
  ticketId: string,
  file: SpooledFile,
): Promise<PortalAttachment> {
  await checkUploadTarget(deps.db, p, ticketId);
  const stored = await storeTicketAttachment(deps, ctx, {
    ticketId,
    by: { kind: 'customer', customerId: p.customerId },
    visibility: 'public',
    file,
  });
  return portalView(stored);
}

export interface OpenedPortalFile {
  row: typeof attachments.$inferSelect;
  body: Readable;
}

/**
 * A public file of one of the customer's requests. An internal file, another customer's file
 * and an unknown id answer the same 404.
 */
export async function openMyAttachment(
  deps: AttachmentDeps,
  p: PortalPrincipal,
  id: string,
): Promise<OpenedPortalFile> {
  const [row] = await deps.db
    .select({ a: attachments })
    .from(attachments)
    .innerJoin(tickets, eq(tickets.id, attachments.ticketId))
    .where(and(eq(attachments.id, id), eq(attachments.visibility, 'public'), mine(p)));
  if (!row) throw problems.notFound('Attachment', 'id');
  try {
    return { row: row.a, body: await deps.storage.get(row.a.storageKey) };
  } catch (err) {
    if (err instanceof StorageNotFound) throw problems.notFound('Attachment', 'id');
    throw err;
  }
}

/**
 * The same safe download headers as the staff route (modules/attachments/routes.ts): the
 * detected type, no sniffing, a sandbox CSP, raster images inline, everything else a download.
 */
export function sendPortalFile(req: FastifyRequest, reply: FastifyReply, file: OpenedPortalFile) {
  const { row } = file;
  const etag = `"${row.sha256}"`;
  const inline = INLINE_TYPES.includes(row.mimeType);
  reply
    .header('content-type', servedType(row.mimeType))
    .header(
      'content-disposition',
      contentDisposition(inline ? 'inline' : 'attachment', row.filename),
    )
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', 'sandbox')
    .header('cache-control', 'private, no-cache')
    .header('etag', etag);
  if (req.headers['if-none-match'] === etag) {
    file.body.destroy();
    return reply.code(304).send();
  }
  reply.header('content-length', row.sizeBytes);
  return reply.send(file.body);
}
