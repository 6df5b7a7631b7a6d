/**
 * Files attached to outbox mail (mail_attachments, migration 0031): written in the same
 * transaction as the mail, read by the sender when it hands the mail to SMTP.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../db/client.js';

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export async function attachToMail(
  tx: Executor,
  mailId: string,
  files: readonly MailAttachment[],
): Promise<void> {
  for (const [position, f] of files.entries())
    await tx.execute(sql`INSERT INTO mail_attachments (mail_id, position, filename, content_type, content)
      VALUES (${mailId}, ${position}, ${f.filename}, ${f.contentType},
        decode(${f.content.toString('base64')}, 'base64'))`);
}

export async function attachmentsOf(ex: Executor, mailId: string): Promise<MailAttachment[]> {
  return rowsOf<{ filename: string; content_type: string; content: string }>(
    await ex.execute(sql`SELECT filename, content_type, encode(content, 'base64') AS content
      FROM mail_attachments WHERE mail_id = ${mailId} ORDER BY position`),
  ).map((r) => ({
    filename: r.filename,
    contentType: r.content_type,
    content: Buffer.from(r.content, 'base64'),
  }));
}
