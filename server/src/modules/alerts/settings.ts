/**
 * SMS gateway and alert-retry settings (docs/alerts.md), edited on Admin › Alert channels. One
 * row (migration 0040); a column left NULL falls back to the environment (KEFU_SMS_*,
 * KEFU_ALERT_MAX_ATTEMPTS, KEFU_ALERT_RETRY_SECONDS), so the environment is the default and the
 * admin screen overrides it field by field. The access key secret is sealed at rest
 * (lib/secret-box.ts) and never leaves the server: the API says whether one is set and shows
 * `••••` plus its last 4 characters.
 */
import { eq } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { Config } from '../../config.js';
import type { Db, Executor } from '../../db/client.js';
import { alertSettings } from '../../db/schema/index.js';
import { problems, type FieldError } from '../../lib/problem.js';
import { decryptSecret, sealSecret, type SecretKey } from '../../lib/secret-box.js';
import { recordAudit, type AuditContext } from '../audit/service.js';
import { smsSenderFor, type SmsSender } from '../surveys/sms.js';
import { maskPhone } from './rules/message.js';
import { maskSecret } from './rules/signing.js';
import type { alertSettingsPatch, alertSettingsSchema } from './schemas.js';

export type SmsProvider = 'log' | 'none' | 'aliyun' | 'tencent';
type SettingsView = z.infer<typeof alertSettingsSchema>;
type SettingsPatch = z.output<typeof alertSettingsPatch>;
type Row = typeof alertSettings.$inferSelect;
type SmsLog = Pick<FastifyBaseLogger, 'info'> & Partial<Pick<FastifyBaseLogger, 'warn'>>;

/** The environment fallbacks (a subset of Config, so tests can hand in their own). */
export type AlertEnv = Pick<
  Config,
  | 'KEFU_SMS_PROVIDER'
  | 'KEFU_SMS_ACCESS_KEY_ID'
  | 'KEFU_SMS_ACCESS_KEY_SECRET'
  | 'KEFU_SMS_SIGN_NAME'
  | 'KEFU_SMS_TEMPLATE'
  | 'KEFU_SMS_TEMPLATE_PARAM'
  | 'KEFU_SMS_APP_ID'
  | 'KEFU_SMS_REGION'
  | 'KEFU_SMS_ENDPOINT'
  | 'KEFU_ALERT_MAX_ATTEMPTS'
  | 'KEFU_ALERT_RETRY_SECONDS'
>;

/** Field of the API ↔ column ↔ environment variable. */
const FIELDS = [
  ['provider', 'smsProvider', 'KEFU_SMS_PROVIDER'],
  ['accessKeyId', 'smsAccessKeyId', 'KEFU_SMS_ACCESS_KEY_ID'],
  ['accessKeySecret', 'smsAccessKeySecret', 'KEFU_SMS_ACCESS_KEY_SECRET'],
  ['signName', 'smsSignName', 'KEFU_SMS_SIGN_NAME'],
  ['template', 'smsTemplate', 'KEFU_SMS_TEMPLATE'],
  ['templateParam', 'smsTemplateParam', 'KEFU_SMS_TEMPLATE_PARAM'],
  ['appId', 'smsAppId', 'KEFU_SMS_APP_ID'],
  ['region', 'smsRegion', 'KEFU_SMS_REGION'],
  ['endpoint', 'smsEndpoint', 'KEFU_SMS_ENDPOINT'],
  ['maxAttempts', 'maxAttempts', 'KEFU_ALERT_MAX_ATTEMPTS'],
  ['retrySeconds', 'retrySeconds', 'KEFU_ALERT_RETRY_SECONDS'],
] as const;
type Field = (typeof FIELDS)[number][0];

export interface EffectiveSettings {
  provider: SmsProvider;
  accessKeyId: string | null;
  accessKeySecret: string | null;
  signName: string | null;
  template: string | null;
  templateParam: string;
  appId: string | null;
  region: string | null;
  endpoint: string | null;
  maxAttempts: number;
  retrySeconds: number;
  /** The fields whose value comes from the environment (not saved on the admin screen). */
  fromEnvironment: Field[];
}

/** What each provider cannot do without. */
const REQUIRED: Record<'aliyun' | 'tencent', Field[]> = {
  aliyun: ['accessKeyId', 'accessKeySecret', 'signName', 'template'],
  tencent: ['accessKeyId', 'accessKeySecret', 'signName', 'template', 'appId'],
};

async function loadRow(ex: Executor): Promise<Row | undefined> {
  const [row] = await ex.select().from(alertSettings).where(eq(alertSettings.id, true));
  return row;
}

function effective(row: Row | undefined, key: SecretKey, env: AlertEnv): EffectiveSettings {
  const fromEnvironment: Field[] = [];
  const pick = <T>(field: Field, saved: T | null | undefined, fallback: T): T => {
    if (saved !== null && saved !== undefined) return saved;
    if (fallback !== null && fallback !== undefined) fromEnvironment.push(field);
    return fallback;
  };
  let secret: string | null = null;
  try {
    secret = row?.smsAccessKeySecret ? decryptSecret(key, row.smsAccessKeySecret) : null;
  } catch {
    secret = null; // sealed under another key: as if unset (the test send says what is missing)
  }
  return {
    provider: pick('provider', row?.smsProvider as SmsProvider | null, env.KEFU_SMS_PROVIDER),
    accessKeyId: pick('accessKeyId', row?.smsAccessKeyId, env.KEFU_SMS_ACCESS_KEY_ID ?? null),
    accessKeySecret: pick('accessKeySecret', secret, env.KEFU_SMS_ACCESS_KEY_SECRET ?? null),
    signName: pick('signName', row?.smsSignName, env.KEFU_SMS_SIGN_NAME ?? null),
    template: pick('template', row?.smsTemplate, env.KEFU_SMS_TEMPLATE ?? null),
    templateParam: pick('templateParam', row?.smsTemplateParam, env.KEFU_SMS_TEMPLATE_PARAM),
    appId: pick('appId', row?.smsAppId, env.KEFU_SMS_APP_ID ?? null),
    region: pick('region', row?.smsRegion, env.KEFU_SMS_REGION ?? null),
    endpoint: pick('endpoint', row?.smsEndpoint, env.KEFU_SMS_ENDPOINT ?? null),
    maxAttempts: pick('maxAttempts', row?.maxAttempts, env.KEFU_ALERT_MAX_ATTEMPTS),
    retrySeconds: pick('retrySeconds', row?.retrySeconds, env.KEFU_ALERT_RETRY_SECONDS),
    fromEnvironment,
  };
}

export async function effectiveAlertSettings(
  ex: Executor,
  key: SecretKey,
  env: AlertEnv,
): Promise<EffectiveSettings> {
  return effective(await loadRow(ex), key, env);
}

function present(s: EffectiveSettings, row: Row | undefined): SettingsView {
  return {
    sms: {
      provider: s.provider,
      accessKeyId: s.accessKeyId,
      accessKeySecretSet: s.accessKeySecret !== null,
      accessKeySecretHint: maskSecret(s.accessKeySecret ?? ''),
      signName: s.signName,
      template: s.template,
      templateParam: s.templateParam,
      appId: s.appId,
      region: s.region,
      endpoint: s.endpoint,
    },
    retry: { maxAttempts: s.maxAttempts, retrySeconds: s.retrySeconds },
    fromEnvironment: s.fromEnvironment,
    updatedAt: row?.updatedAt ? row.updatedAt.toISOString() : null,
  };
}

/** What the audit log keeps: never the secret, nor its last characters. */
const audited = (v: SettingsView) => ({
  ...v,
  sms: { ...v.sms, accessKeySecretHint: undefined },
});

export async function getAlertSettings(
  db: Db,
  key: SecretKey,
  env: AlertEnv,
): Promise<SettingsView> {
  const row = await loadRow(db);
  return present(effective(row, key, env), row);
}

function missingFor(s: EffectiveSettings): FieldError[] {
  if (s.provider !== 'aliyun' && s.provider !== 'tencent') return [];
  return REQUIRED[s.provider]
    .filter((f) => !s[f as keyof EffectiveSettings])
    .map((f) => ({
      path: `sms.${f}`,
      message: `required by the ${s.provider} provider`,
      code: 'required_by_provider',
    }));
}

export async function updateAlertSettings(
  db: Db,
  key: SecretKey,
  env: AlertEnv,
  ctx: AuditContext,
  patch: SettingsPatch,
): Promise<SettingsView> {
  return db.transaction(async (tx) => {
    const rowBefore = await loadRow(tx);
    const before = present(effective(rowBefore, key, env), rowBefore);
    const set: Partial<Row> = { updatedAt: ctx.at };
    const flat: Partial<Record<Field, string | number | null>> = { ...patch.sms, ...patch.retry };
    for (const [field, column] of FIELDS) {
      const v = flat[field];
      if (v === undefined) continue; // kept; null: back to the environment's value
      (set as Record<string, unknown>)[column] =
        field === 'accessKeySecret' && typeof v === 'string' ? sealSecret(key, v) : v;
    }
    const candidate = { ...rowBefore, ...set } as Row;
    const errors = missingFor(effective(candidate, key, env));
    if (errors.length) throw problems.invalid(errors, 'The SMS provider is missing settings.');
    await tx
      .insert(alertSettings)
      .values({ id: true, ...set })
      .onConflictDoUpdate({ target: alertSettings.id, set });
    const rowAfter = await loadRow(tx);
    const after = present(effective(rowAfter, key, env), rowAfter);
    await recordAudit(tx, ctx, {
      action: 'alert_settings.update',
      targetType: 'alert_settings',
      before: audited(before),
      after: audited(after),
    });
    return after;
  });
}

/** A sender for the settings as they are now (the environment names what is missing). */
export function smsSenderOf(s: EffectiveSettings, log?: SmsLog): SmsSender {
  const missing = missingFor(s);
  if (missing.length)
    throw new Error(
      `the ${s.provider} SMS provider needs ${missing.map((m) => m.path.slice(4)).join(', ')}`,
    );
  return smsSenderFor(s.provider, log, {
    KEFU_SMS_ACCESS_KEY_ID: s.accessKeyId ?? undefined,
    KEFU_SMS_ACCESS_KEY_SECRET: s.accessKeySecret ?? undefined,
    KEFU_SMS_SIGN_NAME: s.signName ?? undefined,
    KEFU_SMS_TEMPLATE: s.template ?? undefined,
    KEFU_SMS_TEMPLATE_PARAM: s.templateParam,
    KEFU_SMS_APP_ID: s.appId ?? undefined,
    KEFU_SMS_REGION: s.region ?? undefined,
    KEFU_SMS_ENDPOINT: s.endpoint ?? undefined,
  });
}

/**
 * The SMS sender the jobs use: each message goes through the provider configured at that moment
 * (a change on the admin screen applies to the next message, no restart).
 */
export function configuredSmsSender(
  db: Db,
  key: SecretKey,
  env: AlertEnv,
  log?: SmsLog,
): SmsSender {
  return {
    name: 'configured',
    async send(m) {
      const sender = smsSenderOf(await effectiveAlertSettings(db, key, env), log);
      await sender.send(m);
    },
  };
}

/** The retry numbers the alert job uses on its next run. */
export async function alertRetrySettings(
  ex: Executor,
  fallback: { maxAttempts: number; retrySeconds: number },
): Promise<{ maxAttempts: number; retrySeconds: number }> {
  const row = await loadRow(ex);
  return {
    maxAttempts: row?.maxAttempts ?? fallback.maxAttempts,
    retrySeconds: row?.retrySeconds ?? fallback.retrySeconds,
  };
}

export const TEST_SMS_TEXT = '【Kefu】短信通道测试 / SMS channel test';

/** Sends one test message through the configured provider now; answers the outcome. */
export async function testSms(
  db: Db,
  key: SecretKey,
  env: AlertEnv,
  ctx: AuditContext,
  to: string,
  log?: SmsLog,
): Promise<{ ok: boolean; provider: SmsProvider; error: string | null }> {
  const s = await effectiveAlertSettings(db, key, env);
  await db.transaction((tx) =>
    recordAudit(tx, ctx, {
      action: 'alert_settings.sms_test',
      targetType: 'alert_settings',
      after: { provider: s.provider, to: maskPhone(to) },
    }),
  );
  try {
    await smsSenderOf(s, log).send({ to, text: TEST_SMS_TEXT, ref: `test-${ctx.requestId}` });
    return { ok: true, provider: s.provider, error: null };
  } catch (err) {
    return {
      ok: false,
      provider: s.provider,
      error: (err instanceof Error ? err.message : String(err)).slice(0, 300),
    };
  }
}
