/**
 * The server process of the reports-export bench: the real app (every plugin, the session,
 * permissions, the audit) over a given database, listening on a free port, without the
 * background jobs of `server/src/main.ts` — so its RSS is the export's and the request's. Prints
 * `{"url": …}` on stdout when ready.
 */
import { buildApp } from '../server/src/app.js';
import { testConfig } from '../server/src/config.js';
import { openDatabase } from '../server/src/db/client.js';
import { systemClock } from '../server/src/lib/clock.js';

const database = await openDatabase({ url: process.env.BENCH_EXPORT_URL! });
const app = await buildApp({ database, clock: systemClock, config: testConfig(), logger: false });
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ url }));
process.on('SIGTERM', () => {
  void app.close().then(() => database.close().then(() => process.exit(0)));
});
