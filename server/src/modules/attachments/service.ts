import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { and, asc, eq, gt, inArray, or } from 'drizzle-orm';
import { fileTypeFromFile } from 'file-type';
import type { Actor } from '../../access/actor.js';
import type { Db, Executor } from '../../db/client.js';
import { attachments, kbArticles, kbVersions, tickets, users } from '../../db/schema/index.js';
import { decodeCursor, toPage } from '../../lib/pagination.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { PUBLIC_AUDIENCES } from '../kb/help.js';
import type { Audience } from '../kb/schemas.js';
import {
  CUSTOMER,
  findVisibleTicket,
  lockTicket,
  staff,
  SYSTEM,
  type Doer,
} from '../tickets/access.js';
import { mayView } from '../tickets/policy.js';
import { appendEvent } from '../tickets/timeline.js';
import { judgeUpload } from './rules/content-type.js';
import { extensionOf } from './rules/filename.js';
import type { AttachmentRef, AttachmentView } from './schemas.js';
import { getAttachmentSettings } from './settings.js';
import { keyForSha256, StorageNotFound, type AttachmentStorage } from './storage.js';
import { fileTooLarge, type SpooledFile } from './upload.js';

type Row = typeof attachments.$inferSelect;

export interface AttachmentDeps {
  db: Db;
  storage: AttachmentStorage;
}

/** Who uploads: a staff member, the customer (portal), or the system (e.g. inbound mail). */
export type Uploader =
  { kind: 'staff'; actor: Actor } | { kind: 'customer'; customerId: string } | { kind: 'system' };

export const ticketAttachmentUrl = (id: string) => `/api/v1/attachments/${id}/content`;
export const articleImageUrl = (id: string) => `/api/v1/kb/images/${id}`;

function present(row: Row, uploaderName: string | null): AttachmentView {
  return {
    id: row.id,
    ticketId: row.ticketId,
    articleId: row.articleId,
    filename: row.filename,
    mimeType: row.mimeType,
    size: row.sizeBytes,
    sha256: row.sha256,
    visibility: row.visibility as 'public' | 'internal',
    uploadedBy: row.uploadedByUserId
      ? { kind: 'user', id: row.uploadedByUserId, name: uploaderName }
      : row.uploadedByCustomerId
        ? { kind: 'customer', id: row.uploadedByCustomerId, name: null }
        : { kind: 'system', id: null, name: null },
    createdAt: row.createdAt.toISOString(),
    url: row.ticketId ? ticketAttachmentUrl(row.id) : articleImageUrl(row.id),
  };
}

const refOf = (row: Row): AttachmentRef => ({
  id: row.id,
  filename: row.filename,
  mimeType: row.mimeType,
  size: row.sizeBytes,
  visibility: row.visibility as 'public' | 'internal',
});

/** 415 unless the content is an allowed type; answers the detected type. */
export async function checkContent(
  file: SpooledFile,
  allowed: readonly string[],
  opts: { imagesOnly?: boolean } = {},
): Promise<string> {
  const magic = file.size > 0 ? (await fileTypeFromFile(file.path))?.mime : undefined;
  const verdict = judgeUpload(
    {
      magic,
      declared: file.declaredType,
      filename: file.filename,
      utf8: file.utf8,
      head: file.head,
    },
    allowed,
    opts,
  );
  if (verdict.ok) return verdict.mime;
  throw new HttpProblem({
    status: 415,
    code: 'unsupported_file_type',
    detail: `Files of type ${verdict.detected} are not accepted${opts.imagesOnly ? ' (images only)' : ''}.`,
    errors: [
      {
        path: 'file',
        message: `${verdict.detected} is not an allowed type`,
        code: 'unsupported_file_type',
      },
    ],
    extra: {
      detectedType: verdict.detected,
      allowedTypes: opts.imagesOnly ? allowed.filter((t) => t.startsWith('image/')) : allowed,
    },
  });
}

/**
 * Puts the bytes in storage (content-addressed: identical files are stored once), then runs
 * `write`. If `write` fails, an object this call created and nothing references is removed.
 */
async function withStoredBlob<T>(
  deps: AttachmentDeps,
  file: SpooledFile,
  write: (key: string) => Promise<T>,
): Promise<T> {
  const key = keyForSha256(file.sha256);
  const created = !(await deps.storage.stat(key));
  if (created) await deps.storage.put(key, createReadStream(file.path));
  try {
    return await write(key);
  } catch (err) {
    if (created) {
      const [used] = await deps.db
        .select({ id: attachments.id })
        .from(attachments)
        .where(eq(attachments.sha256, file.sha256))
        .limit(1);
      if (!used) await deps.storage.delete(key);
    }
    throw err;
  }
}

const doerOf = (by: Uploader): Doer =>
  by.kind === 'staff' ? staff(by.actor) : by.kind === 'customer' ? CUSTOMER : SYSTEM;

/**
 * Attaches a spooled upload to a ticket: size and content checks (413/415), storage, then in
 * one transaction the row, an `attachment` timeline entry and the audit record. Customers'
 * files are always public (they sent them). The portal calls this after checking that the
 * signed-in customer owns the ticket. The caller still discards `file`.
 */
export async function storeTicketAttachment(
  deps: AttachmentDeps,
  ctx: AuditContext,
  input: {
    ticketId: string;
    by: Uploader;
    visibility: 'public' | 'internal';
    file: SpooledFile;
  },
): Promise<AttachmentView> {
  const { file, by, ticketId } = input;
  const settings = await getAttachmentSettings(deps.db);
  if (file.size > settings.maxFileBytes) throw fileTooLarge(settings.maxFileBytes);
  const mimeType = await checkContent(file, settings.allowedTypes);
  const visibility = by.kind === 'customer' ? 'public' : input.visibility;
  return withStoredBlob(deps, file, (storageKey) =>
    deps.db.transaction(async (tx) => {
      const doer = doerOf(by);
      await lockTicket(tx, ticketId, doer);
      const [row] = await tx
        .insert(attachments)
        .values({
          ticketId,
          visibility,
          filename: file.filename,
          mimeType,
          sizeBytes: file.size,
          sha256: file.sha256,
          storageKey,
          uploadedByUserId: by.kind === 'staff' ? by.actor.userId : null,
          uploadedByCustomerId: by.kind === 'customer' ? by.customerId : null,
          createdAt: ctx.at,
        })
        .returning();
      if (!row) throw new Error('attachment insert returned no row');
      await appendEvent(tx, ticketId, ctx, doer, {
        kind: 'attachment',
        visibility,
        data: { attachment: refOf(row) },
      });
      await tx.update(tickets).set({ updatedAt: ctx.at }).where(eq(tickets.id, ticketId));
      await recordAudit(tx, ctx, {
        action: 'ticket.attachment',
        targetType: 'ticket',
        targetId: ticketId,
        after: { ...refOf(row), sha256: row.sha256 },
      });
      return present(row, by.kind === 'staff' ? by.actor.name : null);
    }),
  );
}

/** A ticket's files, oldest first (keyset on created_at, id); 404 for an invisible ticket. */
export async function listTicketAttachments(
  db: Db,
  actor: Actor,
  ticketId: string,
  q: { limit: number; cursor?: string; visibility?: 'public' | 'internal' },
) {
  await findVisibleTicket(db, ticketId, actor);
  const after = decodeCursor(q.cursor);
  const rows = await db
    .select({ row: attachments, name: users.name })
    .from(attachments)
    .leftJoin(users, eq(users.id, attachments.uploadedByUserId))
    .where(
      and(
        eq(attachments.ticketId, ticketId),
        q.visibility ? eq(attachments.visibility, q.visibility) : undefined,
        after
          ? or(
              gt(attachments.createdAt, new Date(after.at)),
              and(eq(attachments.createdAt, new Date(after.at)), gt(attachments.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(attachments.createdAt), asc(attachments.id))
    .limit(q.limit + 1);
  return toPage(
    rows.map((r) => present(r.row, r.name)),
    q.limit,
    (a) => ({ at: a.createdAt, id: a.id }),
  );
}

/**
 * Files a reply names (`attachmentIds`): they must be this ticket's, and a public reply may
 * not carry internal files. For the reply's timeline entry.
 */
export async function replyAttachmentRefs(
  ex: Executor,
  ticketId: string,
  ids: readonly string[],
  visibility: 'public' | 'internal',
): Promise<AttachmentRef[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await ex
    .select()
    .from(attachments)
    .where(and(inArray(attachments.id, unique), eq(attachments.ticketId, ticketId)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = unique.findIndex((id) => !byId.has(id));
  if (missing >= 0) throw problems.notFound('Attachment', `attachmentIds.${missing}`);
  const internal = unique.findIndex((id) => byId.get(id)!.visibility === 'internal');
  if (visibility === 'public' && internal >= 0)
    throw problems.invalid([
      {
        path: `attachmentIds.${internal}`,
        message: 'an internal file cannot go out with a public reply',
        code: 'attachment_internal',
      },
    ]);
  return unique.map((id) => refOf(byId.get(id)!));
}

export interface OpenedFile {
  row: Row;
  body: Readable;
}

async function openRow(storage: AttachmentStorage, row: Row, what: string): Promise<OpenedFile> {
  try {
    return { row, body: await storage.get(row.storageKey) };
  } catch (err) {
    if (err instanceof StorageNotFound) throw problems.notFound(what, 'id');
    throw err;
  }
}

/** A ticket file, for whoever may see the ticket (others: the same 404 as an unknown id). */
export async function openTicketAttachment(
  deps: AttachmentDeps,
  actor: Actor,
  id: string,
): Promise<OpenedFile> {
  const [found] = await deps.db
    .select({ row: attachments, ticket: tickets })
    .from(attachments)
    .innerJoin(tickets, eq(tickets.id, attachments.ticketId))
    .where(eq(attachments.id, id));
  if (!found || !mayView(actor, found.ticket)) throw problems.notFound('Attachment', 'id');
  return openRow(deps.storage, found.row, 'Attachment');
}

/** Markdown for an image: alt text from the name, URL-safe. */
export function imageMarkdown(row: Pick<Row, 'id' | 'filename'>): string {
  const ext = extensionOf(row.filename);
  const stem = ext ? row.filename.slice(0, -(ext.length + 1)) : row.filename;
  const alt = stem.replace(/[[\]\\]/g, ' ').trim() || 'image';
  return `![${alt}](${articleImageUrl(row.id)})`;
}

/** An image for an article body (images only, the image size limit), audited. */
export async function storeArticleImage(
  deps: AttachmentDeps,
  ctx: AuditContext,
  actor: Actor,
  articleId: string,
  file: SpooledFile,
): Promise<AttachmentView & { markdown: string }> {
  const settings = await getAttachmentSettings(deps.db);
  if (file.size > settings.maxImageBytes) throw fileTooLarge(settings.maxImageBytes);
  const mimeType = await checkContent(file, settings.allowedTypes, { imagesOnly: true });
  return withStoredBlob(deps, file, (storageKey) =>
    deps.db.transaction(async (tx) => {
      const [article] = await tx
        .select({ id: kbArticles.id })
        .from(kbArticles)
        .where(eq(kbArticles.id, articleId));
      if (!article) throw problems.notFound('Article', 'id');
      const [row] = await tx
        .insert(attachments)
        .values({
          articleId,
          visibility: 'public',
          filename: file.filename,
          mimeType,
          sizeBytes: file.size,
          sha256: file.sha256,
          storageKey,
          uploadedByUserId: actor.userId,
          createdAt: ctx.at,
        })
        .returning();
      if (!row) throw new Error('attachment insert returned no row');
      await recordAudit(tx, ctx, {
        action: 'kb.image_upload',
        targetType: 'kb_article',
        targetId: articleId,
        after: { ...refOf(row), sha256: row.sha256 },
      });
      return { ...present(row, actor.name), markdown: imageMarkdown(row) };
    }),
  );
}

/**
 * An article image. Staff see every article's images. Anyone else (the help centre) only
 * images of a live article whose audience the public may read AND whose live body uses the
 * image — a draft's new image stays private until it is published. Otherwise 404.
 */
export async function openArticleImage(
  deps: AttachmentDeps,
  id: string,
  reader: { staff: boolean },
): Promise<OpenedFile> {
  const [found] = await deps.db
    .select({ row: attachments, article: kbArticles })
    .from(attachments)
    .innerJoin(kbArticles, eq(kbArticles.id, attachments.articleId))
    .where(eq(attachments.id, id));
  if (!found) throw problems.notFound('Image', 'id');
  if (!reader.staff) {
    const { article } = found;
    const publicAudience =
      article.liveVersionId !== null && PUBLIC_AUDIENCES.includes(article.liveAudience as Audience);
    const [live] = publicAudience
      ? await deps.db
          .select({ body: kbVersions.body })
          .from(kbVersions)
          .where(eq(kbVersions.id, article.liveVersionId!))
      : [];
    if (!live?.body.includes(articleImageUrl(id))) throw problems.notFound('Image', 'id');
  }
  return openRow(deps.storage, found.row, 'Image');
}
