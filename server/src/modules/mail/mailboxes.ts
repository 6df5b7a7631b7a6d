/** IMAP mailboxes and the inbound settings, as administrators edit them (issue 13). */
import { asc, eq } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { isUniqueViolation, sqlState } from '../../db/errors.js';
import { mailInboundSettings, mailMailboxes } from '../../db/schema/index.js';
import { problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { getInboundSettings, type InboundSettings } from './inbound.js';
import { encryptSecret, type SecretKey } from './secret-box.js';
import type { CreateMailboxInput, PatchInboundSettings, PatchMailboxInput } from './schemas.js';

export type MailboxRow = typeof mailMailboxes.$inferSelect;

/** What the API shows of a mailbox: everything but the password. */
export const presentMailbox = (m: MailboxRow) => ({
  id: m.id,
  name: m.name,
  address: m.address,
  host: m.host,
  port: m.port,
  tls: m.tls,
  username: m.username,
  passwordSet: m.password.length > 0,
  folder: m.folder,
  teamId: m.teamId,
  category: m.category,
  pollSeconds: m.pollSeconds,
  active: m.active,
  lastPolledAt: m.lastPolledAt?.toISOString() ?? null,
  lastError: m.lastError,
  createdAt: m.createdAt.toISOString(),
  updatedAt: m.updatedAt.toISOString(),
});

/** The audit trail never holds the password either. */
const snapshot = (m: MailboxRow) => presentMailbox(m);

/** Unknown team or category ids are 404 naming the field (foreign keys). */
function referenceProblem(err: unknown): never {
  if (sqlState(err) === '23503') {
    const detail = String((err as { cause?: { detail?: string } }).cause?.detail ?? err);
    if (detail.includes('ticket_categories') || detail.includes('(category)'))
      throw problems.notFound('Category', 'category');
    if (detail.includes('default_category')) throw problems.notFound('Category', 'defaultCategory');
    if (detail.includes('smtp_team_id')) throw problems.notFound('Team', 'smtpTeamId');
    throw problems.notFound('Team', 'teamId');
  }
  if (isUniqueViolation(err))
    throw problems.conflict('mailbox_name_taken', 'A mailbox with this name exists.');
  throw err;
}

export async function listMailboxes(db: Db) {
  const rows = await db.select().from(mailMailboxes).orderBy(asc(mailMailboxes.name));
  return rows.map(presentMailbox);
}

export async function findMailbox(ex: Executor, id: string): Promise<MailboxRow> {
  const [row] = await ex.select().from(mailMailboxes).where(eq(mailMailboxes.id, id));
  if (!row) throw problems.notFound('Mailbox', 'id');
  return row;
}

export async function createMailbox(
  db: Db,
  ctx: AuditContext,
  input: CreateMailboxInput,
  key: SecretKey,
) {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(mailMailboxes)
        .values({
          ...input,
          password: encryptSecret(key, input.password),
          createdAt: ctx.at,
          updatedAt: ctx.at,
        })
        .returning();
      await recordAudit(tx, ctx, {
        action: 'mail.mailbox.create',
        targetType: 'mailbox',
        targetId: row!.id,
        before: null,
        after: snapshot(row!),
      });
      return presentMailbox(row!);
    });
  } catch (err) {
    referenceProblem(err);
  }
}

export async function updateMailbox(
  db: Db,
  ctx: AuditContext,
  id: string,
  patch: PatchMailboxInput,
  key: SecretKey,
) {
  try {
    return await db.transaction(async (tx) => {
      const before = await findMailbox(tx, id);
      const [row] = await tx
        .update(mailMailboxes)
        .set({
          ...patch,
          ...(patch.password !== undefined && { password: encryptSecret(key, patch.password) }),
          updatedAt: ctx.at,
        })
        .where(eq(mailMailboxes.id, id))
        .returning();
      await recordAudit(tx, ctx, {
        action: 'mail.mailbox.update',
        targetType: 'mailbox',
        targetId: id,
        before: snapshot(before),
        after: { ...snapshot(row!), passwordChanged: patch.password !== undefined },
      });
      return presentMailbox(row!);
    });
  } catch (err) {
    referenceProblem(err);
  }
}

export async function deleteMailbox(db: Db, ctx: AuditContext, id: string) {
  await db.transaction(async (tx) => {
    const before = await findMailbox(tx, id);
    await tx.delete(mailMailboxes).where(eq(mailMailboxes.id, id));
    await recordAudit(tx, ctx, {
      action: 'mail.mailbox.delete',
      targetType: 'mailbox',
      targetId: id,
      before: snapshot(before),
      after: null,
    });
  });
}

const settingsSnapshot = (s: InboundSettings) => ({
  smtpEnabled: s.smtpEnabled,
  smtpHost: s.smtpHost,
  smtpPort: s.smtpPort,
  smtpTeamId: s.smtpTeamId,
  defaultCategory: s.defaultCategory,
  senderLimit: s.senderLimit,
  senderWindowMinutes: s.senderWindowMinutes,
  maxMessageBytes: s.maxMessageBytes,
  blocklist: s.blocklist,
});

export async function readInboundSettings(db: Db) {
  return settingsSnapshot(await getInboundSettings(db));
}

export async function updateInboundSettings(
  db: Db,
  ctx: AuditContext,
  patch: PatchInboundSettings,
) {
  try {
    return await db.transaction(async (tx) => {
      const before = await getInboundSettings(tx);
      const blocklist = patch.blocklist ? [...new Set(patch.blocklist)] : undefined;
      const [row] = await tx
        .update(mailInboundSettings)
        .set({ ...patch, ...(blocklist && { blocklist }), updatedAt: ctx.at })
        .where(eq(mailInboundSettings.id, true))
        .returning();
      await recordAudit(tx, ctx, {
        action: 'mail.inbound_settings.update',
        targetType: 'mail_inbound_settings',
        targetId: 'workspace',
        before: settingsSnapshot(before),
        after: settingsSnapshot(row!),
      });
      return settingsSnapshot(row!);
    });
  } catch (err) {
    referenceProblem(err);
  }
}
