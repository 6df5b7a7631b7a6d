import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, rowsOf } from './db/client.js';
import { migrate } from './db/migrate.js';
import { DEMO_PASSWORD, DEMO_PORTAL_EMAIL, seedDemo } from './demo/seed.js';
import { startAlertJob } from './jobs/alerts.js';
import { startMailSender } from './jobs/mail-sender.js';
import { startMailIntake } from './jobs/mail-intake.js';
import { startKpiFactsJob } from './jobs/kpi-facts.js';
import { secretKeyFor } from './lib/secret-box.js';
import { storageFor } from './modules/attachments/storage.js';
import { startMonthlyAssessment } from './jobs/monthly-assessment.js';
import { startChatIdleClose } from './jobs/chat-idle.js';
import { startQaSampling } from './jobs/qa-sampling.js';
import { startReportScheduler } from './modules/reports/schedules.js';
import { startSlaSweeper } from './jobs/sla-sweeper.js';
import { startSurveyJob } from './jobs/survey-jobs.js';
import { startTicketHousekeeping } from './jobs/ticket-housekeeping.js';
import { systemClock } from './lib/clock.js';
import { warnCalendarsRunningOut } from './modules/sla/coverage.js';
import { startMetricsServer } from './modules/ops/metrics-server.js';
import { seedSlaDefaults } from './modules/sla/seed.js';
import { configuredSmsSender } from './modules/alerts/settings.js';
import { slaEscalationHooks } from './modules/tickets/sla-actions.js';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

const config = readConfig();
const database = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: resolve(config.KEFU_DATA_DIR, 'pglite'),
  pgliteSharedBuffersMb: config.KEFU_PGLITE_SHARED_BUFFERS_MB,
});
const applied = await migrate(database);
const app = await buildApp({ database, clock: systemClock, config });
if (applied.length) app.log.debug({ applied }, 'migrations applied');

const demoUsers = config.KEFU_DEMO ? await seedDemo(database.db, systemClock.now()) : null;
await seedSlaDefaults(database.db, systemClock.now());
await warnCalendarsRunningOut(database.db, systemClock.now(), app.log);
const slaSweeper = startSlaSweeper({
  db: database.db,
  clock: systemClock,
  intervalMs: config.KEFU_SLA_SWEEP_MS,
  log: app.log,
  // Breach actions (priority, tier, team), the timeline entry, breach e-mail: tickets module.
  ...slaEscalationHooks(database.db),
});
const mailSender = startMailSender({ db: database.db, clock: systemClock, config, log: app.log });
const mailIntake = startMailIntake({
  db: database.db,
  clock: systemClock,
  intervalMs: config.KEFU_MAIL_INTAKE_MS,
  log: app.log,
  key: secretKeyFor(config),
  storage: storageFor(config),
});
const housekeeping = startTicketHousekeeping({
  db: database.db,
  clock: systemClock,
  intervalMs: config.KEFU_HOUSEKEEPING_MS,
  log: app.log,
});
const surveyJob = startSurveyJob({
  db: database.db,
  clock: systemClock,
  intervalMs: config.KEFU_SURVEY_JOB_MS,
  // The provider saved on Admin › Alert channels, else the environment's (docs/alerts.md).
  sms: configuredSmsSender(database.db, secretKeyFor(config, app.log), config, app.log),
  publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
});
// The monthly KPI assessment checks on the housekeeping interval whether a month is due.
const kpiAssessment = startMonthlyAssessment({
  db: database.db,
  clock: systemClock,
  intervalMs: config.KEFU_HOUSEKEEPING_MS,
  log: app.log,
});
// The KPI daily facts: the dirty log consumed on the housekeeping interval (docs/kpi.md).
const kpiFacts = startKpiFactsJob({
  db: database.db,
  clock: systemClock,
  intervalMs: config.KEFU_HOUSEKEEPING_MS,
  log: app.log,
});
// The weekly QA sample: checked on the housekeeping interval too.
const qaSampling = startQaSampling({
  db: database.db,
  clock: systemClock,
  intervalMs: config.KEFU_HOUSEKEEPING_MS,
  log: app.log,
});
// Chats the visitor has left are closed (setting idleCloseMinutes), checked every minute.
const chatIdle = startChatIdleClose({
  db: database.db,
  chat: app.chat,
  clock: systemClock,
  intervalMs: 60_000,
  log: app.log,
});
// Scheduled service reports (PDF by mail): checked on the housekeeping interval too.
const reportScheduler = startReportScheduler({
  db: database.db,
  clock: systemClock,
  intervalMs: config.KEFU_HOUSEKEEPING_MS,
  log: app.log,
});

// Staff alerts to WeCom / DingTalk robots and webhooks (docs/alerts.md).
const alertJob = startAlertJob({
  db: database.db,
  clock: systemClock,
  intervalMs: config.KEFU_ALERT_JOB_MS,
  maxAttempts: config.KEFU_ALERT_MAX_ATTEMPTS,
  retrySeconds: config.KEFU_ALERT_RETRY_SECONDS,
  publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
  key: secretKeyFor(config, app.log),
  log: app.log,
});
// Fastify logs "Server listening at …" per interface at info; the banner below prints one URL.
const level = app.log.level;
if (level === 'info') app.log.level = 'warn';
await app.listen({ port: config.PORT, host: config.HOST });
app.log.level = level;
const metricsServer = /^\d+$/.test(config.KEFU_METRICS)
  ? await startMetricsServer(app, Number(config.KEFU_METRICS), config.KEFU_METRICS_HOST)
  : null;
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.PORT;
const url = config.PUBLIC_URL ?? `http://localhost:${port}`;

const lines = [
  ``,
  `  Kefu 客服 is running at ${url}`,
  ...(metricsServer
    ? [`  metrics: http://${config.KEFU_METRICS_HOST}:${metricsServer.port}/metrics`]
    : []),
  `  database: ${database.engine === 'pglite' ? `embedded PGlite (${resolve(config.KEFU_DATA_DIR)})` : 'PostgreSQL (DATABASE_URL)'}`,
];
if (database.engine === 'pglite') {
  const advice = await pgliteAdvice(database, config.KEFU_PGLITE_ADVICE_TICKETS);
  if (advice) lines.push(advice);
}
if (demoUsers) {
  lines.push(`  demo workspace created — sign in with any of these (password: ${DEMO_PASSWORD}):`);
  for (const u of demoUsers) lines.push(`    ${u.email.padEnd(24)} ${u.roles.join(', ')}`);
  lines.push(
    `  customer portal (/portal): ${DEMO_PORTAL_EMAIL} with the same password; mail without`,
    `    KEFU_SMTP_URL stays queued — see it under Settings › Mail as admin`,
  );
} else if (!config.KEFU_DEMO) {
  lines.push(`  open the URL to finish first-run setup if this is a new workspace`);
}
console.log(lines.join('\n') + '\n');

/** One line of advice when the embedded engine holds more than it comfortably can (issue 10). */
async function pgliteAdvice(db: typeof database, limit: number): Promise<string | null> {
  const [row] = rowsOf<{ n: number }>(
    await db.db.execute(sql`select count(*)::int as n from tickets`),
  );
  if (!row || row.n <= limit) return null;
  const rss = Math.round(process.memoryUsage().rss / 1_048_576);
  return `  note: embedded PGlite holds ${row.n} tickets in this process's memory (${rss} MB now); set DATABASE_URL to a PostgreSQL server for data this size (docs/benchmarks.md)`;
}

// Graceful shutdown: stop accepting, let in-flight requests and the SLA sweep in hand finish,
// then close the database.
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    Promise.all([
      app.close(),
      slaSweeper.stop(),
      housekeeping.stop(),
      kpiAssessment.stop(),
      kpiFacts.stop(),
      qaSampling.stop(),
      chatIdle.stop(),
      alertJob.stop(),
      reportScheduler.stop(),
      mailSender.stop(),
      mailIntake.stop(),
      metricsServer?.close(),
      surveyJob.stop(),
    ])
      .then(() => database.close())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  });
}
