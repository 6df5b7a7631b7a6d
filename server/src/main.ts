import { resolve } from 'node:path';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db/client.js';
import { migrate } from './db/migrate.js';
import { DEMO_PASSWORD, DEMO_PORTAL_EMAIL, seedDemo } from './demo/seed.js';
import { startMailSender } from './jobs/mail-sender.js';
import { startMonthlyAssessment } from './jobs/monthly-assessment.js';
import { startSlaSweeper } from './jobs/sla-sweeper.js';
import { startSurveyJob } from './jobs/survey-jobs.js';
import { startTicketHousekeeping } from './jobs/ticket-housekeeping.js';
import { systemClock } from './lib/clock.js';
import { warnCalendarsRunningOut } from './modules/sla/coverage.js';
import { startMetricsServer } from './modules/ops/metrics-server.js';
import { seedSlaDefaults } from './modules/sla/seed.js';
import { smsSenderFor } from './modules/surveys/sms.js';
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
  sms: smsSenderFor(config.KEFU_SMS_PROVIDER, app.log),
  publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
});
// The monthly KPI assessment checks on the housekeeping interval whether a month is due.
const kpiAssessment = startMonthlyAssessment({
  db: database.db,
  clock: systemClock,
  intervalMs: config.KEFU_HOUSEKEEPING_MS,
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
      mailSender.stop(),
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
