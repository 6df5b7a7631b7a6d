/**
 * Attachments and inline images of inbound mail (issue 13) become ticket attachments with the
 * same limits and content checks as uploads (modules/attachments): the size limit of the
 * attachment settings, the allowed types judged by the bytes (never by the declared type).
 * Bytes go to storage before the message's transaction (content-addressed, so a retry stores
 * nothing twice); the rows and timeline entries are written inside it, with the ticket.
 * A refused file is named on the timeline with the reason; it stays in the raw message.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attachment } from 'mailparser';
import type { Executor } from '../../db/client.js';
import { attachments } from '../../db/schema/index.js';
import { HttpProblem } from '../../lib/problem.js';
import type { AuditContext } from '../audit/service.js';
import { checkContent } from '../attachments/service.js';
import { sanitizeFilename } from '../attachments/rules/filename.js';
import { getAttachmentSettings } from '../attachments/settings.js';
import { keyForSha256, type AttachmentStorage } from '../attachments/storage.js';
import { CUSTOMER } from '../tickets/access.js';
import { appendEvent } from '../tickets/timeline.js';

export interface PreparedFile {
  filename: string;
  mimeType: string;
  size: number;
  sha256: string;
  storageKey: string;
  inline: boolean;
}
export interface RefusedFile {
  filename: string;
  reason: string;
}

const MAX_FILES = 50;

function isUtf8Text(buf: Buffer): boolean {
  if (buf.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}

/** Checks and stores the files of one message; answers what to attach and what was refused. */
export async function prepareMailAttachments(
  ex: Executor,
  storage: AttachmentStorage,
  list: readonly Attachment[],
): Promise<{ files: PreparedFile[]; refused: RefusedFile[] }> {
  const files: PreparedFile[] = [];
  const refused: RefusedFile[] = [];
  if (list.length === 0) return { files, refused };
  const settings = await getAttachmentSettings(ex);
  for (const [i, a] of list.entries()) {
    const ext = (a.contentType.split('/')[1] ?? 'bin').replace(/[^a-z0-9]/gi, '').slice(0, 8);
    const filename = sanitizeFilename(a.filename ?? '', `attachment-${i + 1}.${ext || 'bin'}`);
    if (i >= MAX_FILES) {
      refused.push({ filename, reason: `more than ${MAX_FILES} files in one message` });
      continue;
    }
    const content = a.content;
    if (content.length > settings.maxFileBytes) {
      refused.push({ filename, reason: `larger than ${settings.maxFileBytes} bytes` });
      continue;
    }
    const sha256 = createHash('sha256').update(content).digest('hex');
    const path = join(tmpdir(), `kefu-mail-${randomBytes(8).toString('hex')}`);
    await writeFile(path, content);
    try {
      const mimeType = await checkContent(
        {
          path,
          size: content.length,
          sha256,
          utf8: isUtf8Text(content),
          head: content.subarray(0, 1024).toString('utf8'),
          filename,
          declaredType: a.contentType.toLowerCase(),
          discard: () => rm(path, { force: true }),
        },
        settings.allowedTypes,
      );
      const storageKey = keyForSha256(sha256);
      if (!(await storage.stat(storageKey))) await storage.put(storageKey, createReadStream(path));
      files.push({
        filename,
        mimeType,
        size: content.length,
        sha256,
        storageKey,
        inline: a.contentDisposition === 'inline' || Boolean(a.cid && a.related),
      });
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      refused.push({ filename, reason: err.message || 'not an allowed type' });
    } finally {
      await rm(path, { force: true });
    }
  }
  return { files, refused };
}

/** Inside the message's transaction: one attachment row and timeline entry per file. */
export async function attachMailFiles(
  tx: Executor,
  ctx: AuditContext,
  ticketId: string,
  customerId: string | null,
  prepared: { files: PreparedFile[]; refused: RefusedFile[] },
): Promise<void> {
  for (const f of prepared.files) {
    const [row] = await tx
      .insert(attachments)
      .values({
        ticketId,
        visibility: 'public',
        filename: f.filename,
        mimeType: f.mimeType,
        sizeBytes: f.size,
        sha256: f.sha256,
        storageKey: f.storageKey,
        uploadedByUserId: null,
        uploadedByCustomerId: customerId,
        createdAt: ctx.at,
      })
      .returning();
    await appendEvent(tx, ticketId, ctx, CUSTOMER, {
      kind: 'attachment',
      visibility: 'public',
      data: {
        attachment: {
          id: row!.id,
          filename: row!.filename,
          mimeType: row!.mimeType,
          size: row!.sizeBytes,
          visibility: 'public',
        },
        via: 'email',
        ...(f.inline && { inline: true }),
      },
    });
  }
  if (prepared.refused.length > 0)
    await appendEvent(tx, ticketId, ctx, CUSTOMER, {
      kind: 'attachment',
      visibility: 'internal',
      data: { via: 'email', refused: prepared.refused },
    });
}
