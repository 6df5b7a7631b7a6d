import { randomInt, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db, Executor } from '../../db/client.js';
import {
  customers,
  portalAccounts,
  portalSessions,
  portalSignInCodes,
} from '../../db/schema/index.js';
import { safeEqual, sha256 } from '../../lib/crypto.js';
import { HttpProblem, problems } from '../../lib/problem.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../auth/passwords.js';
import { enqueueMail } from '../mail/outbox.js';
import { asMailLocale, type MailLocale } from '../mail/rules/templates.js';
import { maskEmail } from '../tickets/rules/masking.js';
import {
  formatCode,
  isCodeShape,
  judgeCode,
  mayResend,
  nameFromEmail,
  normaliseEmail,
} from './rules/codes.js';
import {
  createPortalSession,
  endOtherPortalSessions,
  endPortalSession,
  type NewPortalSession,
  type PortalPrincipal,
  type SignInMethod,
} from './session.js';
import { getPortalSettings } from './settings.js';

type AccountRow = typeof portalAccounts.$inferSelect;

export interface PortalAccountView {
  email: string;
  name: string;
  locale: MailLocale;
  hasPassword: boolean;
}

/** Every refused sign-in answers the same, whether or not the email is known. */
const invalidCode = () =>
  new HttpProblem({
    status: 401,
    code: 'invalid_code',
    detail: 'The code is wrong or no longer valid; ask for a new one.',
  });
/** Not locked at `now` (SQL). */
const notLocked = (now: Date) =>
  or(isNull(portalAccounts.lockedUntil), lte(portalAccounts.lockedUntil, now));

const invalidCredentials = () =>
  new HttpProblem({
    status: 401,
    code: 'invalid_credentials',
    detail: 'Email or password is wrong.',
  });

const codeHash = (codeId: string, code: string) => sha256(`${codeId}:${code}`);

/**
 * Mails a one-time sign-in code. The answer never says whether the address is known: any
 * mailbox may ask (proving it owns the address is how a new customer gets an account); a new
 * code is not mailed while the last one is younger than a minute.
 */
export async function requestCode(
  db: Db,
  ctx: AuditContext,
  input: { email: string; locale?: MailLocale },
): Promise<void> {
  const email = normaliseEmail(input.email);
  await db.transaction(async (tx) => {
    const [last] = await tx
      .select({ createdAt: portalSignInCodes.createdAt })
      .from(portalSignInCodes)
      .where(eq(portalSignInCodes.email, email))
      .orderBy(desc(portalSignInCodes.createdAt))
      .limit(1);
    if (!mayResend(last?.createdAt ?? null, ctx.at)) return;
    const settings = await getPortalSettings(tx);
    const [account] = await tx
      .select({ locale: portalAccounts.locale })
      .from(portalAccounts)
      .where(eq(portalAccounts.email, email));
    const id = randomUUID();
    const code = formatCode(randomInt(0, 1_000_000));
    await tx.insert(portalSignInCodes).values({
      id,
      email,
      codeHash: codeHash(id, code),
      attempts: 0,
      createdAt: ctx.at,
      expiresAt: new Date(ctx.at.getTime() + settings.codeTtlMinutes * 60_000),
    });
    await enqueueMail(tx, ctx.at, {
      to: email,
      template: 'portal.sign_in_code',
      locale: asMailLocale(account?.locale ?? input.locale),
      params: { code, minutes: settings.codeTtlMinutes },
    });
    await recordAudit(tx, ctx, {
      action: 'portal.code_requested',
      targetType: 'portal_account',
      targetId: null,
      after: { email: maskEmail(email) },
    });
  });
}

/**
 * The account for a mailbox that just proved itself, created on first sign-in and tied to the
 * oldest customer record with that email (a new customer record when there is none).
 */
async function ensureAccount(
  tx: Executor,
  ctx: AuditContext,
  email: string,
  locale: MailLocale | undefined,
): Promise<AccountRow> {
  const [existing] = await tx.select().from(portalAccounts).where(eq(portalAccounts.email, email));
  if (existing) return existing;
  let [customer] = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(eq(customers.email, email))
    .orderBy(asc(customers.createdAt), asc(customers.id))
    .limit(1);
  if (!customer) {
    [customer] = await tx
      .insert(customers)
      .values({
        name: nameFromEmail(email),
        email,
        // Signing in to ask for help is consent to be contacted about it (SPEC 12).
        consentContact: true,
        createdBy: null,
        createdAt: ctx.at,
        updatedAt: ctx.at,
      })
      .returning({ id: customers.id });
    if (!customer) throw new Error('customer insert returned no row');
    await recordAudit(tx, ctx, {
      action: 'customer.create',
      targetType: 'customer',
      targetId: customer.id,
      before: null,
      after: { name: nameFromEmail(email), email: maskEmail(email), via: 'portal' },
    });
  }
  const [created] = await tx
    .insert(portalAccounts)
    .values({
      email,
      customerId: customer.id,
      locale: locale ?? 'zh-CN',
      createdAt: ctx.at,
      updatedAt: ctx.at,
    })
    .onConflictDoNothing({ target: portalAccounts.email })
    .returning();
  if (created) {
    await recordAudit(tx, ctx, {
      action: 'portal_account.create',
      targetType: 'portal_account',
      targetId: created.id,
      after: { email: maskEmail(email), customerId: customer.id },
    });
    return created;
  }
  // Two first sign-ins raced: the other transaction created it.
  const [raced] = await tx.select().from(portalAccounts).where(eq(portalAccounts.email, email));
  if (!raced) throw new Error('portal account vanished');
  return raced;
}

async function openSession(
  tx: Executor,
  ctx: AuditContext,
  account: AccountRow,
  method: SignInMethod,
): Promise<NewPortalSession> {
  const settings = await getPortalSettings(tx);
  await tx
    .update(portalAccounts)
    .set({ failedSignIns: 0, lockedUntil: null, lastSignInAt: ctx.at })
    .where(eq(portalAccounts.id, account.id));
  await recordAudit(
    tx,
    { ...ctx, actorName: `customer:${account.id}` },
    {
      action: 'portal.sign_in',
      targetType: 'portal_account',
      targetId: account.id,
      after: { method },
    },
  );
  return createPortalSession(tx, account.id, method, ctx, settings.sessionTtlHours);
}

async function viewOf(ex: Executor, a: AccountRow): Promise<PortalAccountView> {
  const [c] = await ex
    .select({ name: customers.name })
    .from(customers)
    .where(eq(customers.id, a.customerId));
  return {
    email: a.email,
    name: c?.name ?? nameFromEmail(a.email),
    locale: asMailLocale(a.locale),
    hasPassword: a.passwordHash !== null,
  };
}

export async function accountView(db: Db, p: PortalPrincipal): Promise<PortalAccountView> {
  const [a] = await db.select().from(portalAccounts).where(eq(portalAccounts.id, p.accountId));
  if (!a) throw problems.unauthorized();
  return viewOf(db, a);
}

/**
 * Signs in with the latest code mailed to `email`. Each try counts against the code (a wrong
 * one is recorded even though the answer is an error); the code works once.
 */
export async function verifyCode(
  db: Db,
  ctx: AuditContext,
  input: { email: string; code: string; locale?: MailLocale },
): Promise<{ account: PortalAccountView; session: NewPortalSession }> {
  const email = normaliseEmail(input.email);
  const outcome = await db.transaction(async (tx) => {
    const settings = await getPortalSettings(tx);
    const [code] = await tx
      .select()
      .from(portalSignInCodes)
      .where(and(eq(portalSignInCodes.email, email), isNull(portalSignInCodes.usedAt)))
      .orderBy(desc(portalSignInCodes.createdAt))
      .limit(1)
      .for('update');
    const matches =
      code !== undefined &&
      isCodeShape(input.code) &&
      safeEqual(codeHash(code.id, input.code), code.codeHash);
    const verdict = code ? judgeCode(code, ctx.at, settings.codeMaxAttempts, matches) : 'wrong';
    if (code && (verdict === 'ok' || verdict === 'wrong')) {
      await tx
        .update(portalSignInCodes)
        .set({ attempts: code.attempts + 1, ...(verdict === 'ok' && { usedAt: ctx.at }) })
        .where(eq(portalSignInCodes.id, code.id));
    }
    if (verdict !== 'ok') {
      await recordAudit(tx, ctx, {
        action: 'portal.sign_in_failed',
        targetType: 'portal_account',
        targetId: null,
        after: { email: maskEmail(email), method: 'code', reason: verdict },
      });
      return null;
    }
    const account = await ensureAccount(tx, ctx, email, input.locale);
    const session = await openSession(tx, ctx, account, 'code');
    return { account: await viewOf(tx, account), session };
  });
  if (!outcome) throw invalidCode();
  return outcome;
}

/** Email + password; locks the account after repeated failures (same answer throughout). */
export async function passwordSignIn(
  db: Db,
  config: Config,
  ctx: AuditContext,
  input: { email: string; password: string },
): Promise<{ account: PortalAccountView; session: NewPortalSession }> {
  const email = normaliseEmail(input.email);
  const [account] = await db.select().from(portalAccounts).where(eq(portalAccounts.email, email));
  const locked = account?.lockedUntil && account.lockedUntil.getTime() > ctx.at.getTime();
  // Verify even for unknown or locked accounts, so timing tells nothing.
  const ok =
    (await verifyPassword(account?.passwordHash ?? null, input.password)) &&
    account?.passwordHash != null &&
    !locked;
  const outcome = await db.transaction(async (tx) => {
    // Still unlocked now? Parallel failures may have locked it since the read above.
    const stillOpen =
      ok &&
      account &&
      (
        await tx
          .select({ id: portalAccounts.id })
          .from(portalAccounts)
          .where(and(eq(portalAccounts.id, account.id), notLocked(ctx.at)))
          .for('update')
      ).length > 0;
    if (!account || !stillOpen) {
      if (account && !locked) {
        // One atomic UPDATE per failure: parallel guesses each count.
        const reached = sql`${portalAccounts.failedSignIns} + 1 >= ${config.KEFU_LOGIN_MAX_FAILURES}`;
        const until = new Date(ctx.at.getTime() + config.KEFU_LOGIN_LOCK_MINUTES * 60_000);
        await tx
          .update(portalAccounts)
          .set({
            failedSignIns: sql`CASE WHEN ${reached} THEN 0 ELSE ${portalAccounts.failedSignIns} + 1 END`,
            lockedUntil: sql`CASE WHEN ${reached} THEN ${until.toISOString()}::timestamptz ELSE ${portalAccounts.lockedUntil} END`,
          })
          .where(and(eq(portalAccounts.id, account.id), notLocked(ctx.at)));
      }
      await recordAudit(tx, ctx, {
        action: 'portal.sign_in_failed',
        targetType: 'portal_account',
        targetId: account?.id ?? null,
        after: { email: maskEmail(email), method: 'password', ...(locked && { locked: true }) },
      });
      return null;
    }
    const session = await openSession(tx, ctx, account, 'password');
    return { account: await viewOf(tx, account), session };
  });
  if (!outcome) throw invalidCredentials();
  return outcome;
}

/**
 * Sets the account's password. A session opened with a mailed code proves the mailbox and may
 * set one (also to recover a forgotten one); a password session must give the current one.
 * Ends the account's other sessions.
 */
export async function setPassword(
  db: Db,
  ctx: AuditContext,
  p: PortalPrincipal,
  input: { newPassword: string; currentPassword?: string },
): Promise<void> {
  const [account] = await db
    .select()
    .from(portalAccounts)
    .where(eq(portalAccounts.id, p.accountId));
  if (!account) throw problems.unauthorized();
  if (p.method !== 'code' || input.currentPassword !== undefined) {
    if (!(await verifyPassword(account.passwordHash, input.currentPassword ?? '')))
      throw problems.invalid([
        {
          path: 'currentPassword',
          message: 'is not your current password',
          code: 'wrong_password',
        },
      ]);
  }
  const policy = checkPasswordPolicy(input.newPassword, account.email, 'newPassword');
  if (policy.length) throw problems.invalid(policy);
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(portalAccounts)
      .set({ passwordHash, failedSignIns: 0, lockedUntil: null, updatedAt: ctx.at })
      .where(eq(portalAccounts.id, account.id));
    await endOtherPortalSessions(tx, account.id, p.sessionId);
    await recordAudit(tx, ctx, {
      action: 'portal.set_password',
      targetType: 'portal_account',
      targetId: account.id,
    });
  });
}

export async function updateAccount(
  db: Db,
  ctx: AuditContext,
  p: PortalPrincipal,
  patch: { locale?: MailLocale },
): Promise<PortalAccountView> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(portalAccounts)
      .where(eq(portalAccounts.id, p.accountId))
      .for('update');
    if (!before) throw problems.unauthorized();
    const [saved] = await tx
      .update(portalAccounts)
      .set({ ...(patch.locale && { locale: patch.locale }), updatedAt: ctx.at })
      .where(eq(portalAccounts.id, p.accountId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'portal_account.update',
      targetType: 'portal_account',
      targetId: p.accountId,
      before: { locale: before.locale },
      after: { locale: saved!.locale },
    });
    return viewOf(tx, saved!);
  });
}

export async function signOut(db: Db, ctx: AuditContext, p: PortalPrincipal): Promise<void> {
  await db.transaction(async (tx) => {
    await endPortalSession(tx, p.sessionId);
    await recordAudit(tx, ctx, {
      action: 'portal.sign_out',
      targetType: 'portal_account',
      targetId: p.accountId,
    });
  });
}

/** For tests and operations: how many sessions an account holds. */
export async function countSessions(ex: Executor, accountId: string): Promise<number> {
  const rows = await ex
    .select({ id: portalSessions.id })
    .from(portalSessions)
    .where(eq(portalSessions.accountId, accountId));
  return rows.length;
}
