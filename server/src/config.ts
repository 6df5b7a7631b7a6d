import { z } from 'zod';

const bool = z
  .enum(['0', '1', 'true', 'false'])
  .transform((v) => v === '1' || v === 'true')
  .describe('0 or 1');

/**
 * Every environment variable Kefu reads. The README's configuration table mirrors this list;
 * a bad value stops start-up with one line naming the variable and what it expects.
 */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** The address people use: printed at start, the base of links in mail, the portal and the UI. */
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// connection string')
    .optional(),
  KEFU_DATA_DIR: z.string().min(1).default('./data'),
  /** Where uploaded files live (local-disk storage); unset = `<KEFU_DATA_DIR>/attachments`. */
  KEFU_ATTACHMENTS_DIR: z.string().min(1).optional(),
  KEFU_DEMO: bool.default(true),
  KEFU_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  KEFU_BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
  KEFU_SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(12),
  KEFU_SECURE_COOKIES: bool.default(false),
  KEFU_AUTH_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  KEFU_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  KEFU_LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  KEFU_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  KEFU_PUBLIC_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  KEFU_WEB_DIR: z.string().optional(),
  /**
   * Embedded PGlite keeps its pages in the server's memory (≈0.4 GB for the demo and at 100k
   * tickets with the default page cache): above this many tickets the start-up banner advises
   * moving to PostgreSQL.
   */
  KEFU_PGLITE_ADVICE_TICKETS: z.coerce.number().int().min(0).default(50_000),
  /**
   * Embedded PGlite's page cache, in MB. Its pages are the server's own memory (WebAssembly
   * memory never shrinks): 32 MB holds a small team's data; PostgreSQL's own default is 128.
   */
  KEFU_PGLITE_SHARED_BUFFERS_MB: z.coerce.number().int().min(1).max(4096).default(32),
  /** Chat events between instances go through Redis pub/sub when set (docs/chat.md). */
  REDIS_URL: z.string().optional(),
  /**
   * Prometheus metrics: `off`, `on` (at /metrics on the main port, public — put it behind a
   * proxy) or a port number (a separate listener on KEFU_METRICS_HOST, default loopback).
   */
  KEFU_METRICS: z
    .string()
    .regex(/^(off|on|\d{1,5})$/, 'off, on or a port number')
    .refine((v) => !/^\d+$/.test(v) || (Number(v) >= 1 && Number(v) <= 65535), 'a port 1–65535')
    .default('off'),
  KEFU_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  KEFU_SLA_SWEEP_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  /** Auto-close unconfirmed and archive old closed tickets every this many ms (0: off). */
  KEFU_HOUSEKEEPING_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
  // Mail (docs/mail.md): without an SMTP URL mail stays queued and admins see "not configured".
  KEFU_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
    .optional(),
  KEFU_MAIL_FROM: z.string().min(3).max(254).optional(),
  /** Encrypts stored secrets (IMAP passwords); unset = a generated key file in KEFU_DATA_DIR. */
  KEFU_SECRET_KEY: z.string().min(32).optional(),
  KEFU_MAIL_SEND_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  /** How often the mail-intake job looks for IMAP mailboxes due a poll (0: never; issue 13). */
  KEFU_MAIL_INTAKE_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  KEFU_MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  KEFU_MAIL_RETRY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  // Surveys (docs/surveys.md): delayed sends, SMS and reminders every this many ms (0: off here).
  KEFU_SURVEY_JOB_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  KEFU_SMS_PROVIDER: z.enum(['log', 'none', 'aliyun', 'tencent']).default('log'),
  // SMS gateways (docs/alerts.md): Aliyun AccessKey id/secret or Tencent SecretId/SecretKey.
  KEFU_SMS_ACCESS_KEY_ID: z.string().min(1).optional(),
  KEFU_SMS_ACCESS_KEY_SECRET: z.string().min(1).optional(),
  KEFU_SMS_SIGN_NAME: z.string().min(1).optional(),
  /** Aliyun TemplateCode / Tencent TemplateId of a template with one variable: the text. */
  KEFU_SMS_TEMPLATE: z.string().min(1).optional(),
  /** Aliyun: the name of that template variable. */
  KEFU_SMS_TEMPLATE_PARAM: z.string().min(1).default('content'),
  /** Tencent: SmsSdkAppId. */
  KEFU_SMS_APP_ID: z.string().min(1).optional(),
  KEFU_SMS_REGION: z.string().min(1).optional(),
  /** The gateway's base URL (default: the provider's public endpoint). */
  KEFU_SMS_ENDPOINT: z.url().optional(),
  // Staff alerts (docs/alerts.md): the delivery job's interval (0: off), attempts, back-off base.
  KEFU_ALERT_JOB_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  KEFU_ALERT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  KEFU_ALERT_RETRY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {}

/** Variables Kefu no longer reads, and what replaced them: set, they stop start-up loudly. */
const RETIRED: Record<string, string> = { KEFU_PUBLIC_URL: 'PUBLIC_URL' };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(configSchema.shape)
      .filter((k) => env[k] !== undefined && env[k] !== '')
      .map((k) => [k, env[k]]),
  );
  for (const [name, replacement] of Object.entries(RETIRED))
    if (env[name] !== undefined && env[name] !== '')
      throw new ConfigError(
        `Invalid configuration: ${name} is no longer read — set ${replacement} instead`,
      );
  const result = configSchema.safeParse(known);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? 'config');
    throw new ConfigError(
      `Invalid configuration: ${name}=${JSON.stringify(env[name])} — expected ${issue?.message ?? 'a valid value'}`,
    );
  }
  return result.data;
}

/** Defaults for tests: no demo data, quiet logs. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = configSchema.parse({
    KEFU_DEMO: '0',
    KEFU_LOG_LEVEL: 'silent',
    // Tests sign in many users from one address; the rate-limit test lowers these again.
    KEFU_LOGIN_RATE_PER_MINUTE: '10000',
    KEFU_PUBLIC_RATE_PER_MINUTE: '10000',
  });
  return { ...base, ...overrides };
}
