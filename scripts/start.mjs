// `npm start`: one Node process. It builds the web app if needed, then runs the server in this
// same process, so Ctrl-C or `kill <pid>` (of npm or of this process) reaches the server and
// it shuts down gracefully (server/src/main.ts). Run with `node --import tsx`.
import { buildWebIfNeeded } from './build-web-if-needed.mjs';

// KEFU_WEB_DIR serves another directory: then web/dist is not ours to build.
if (!process.env.KEFU_WEB_DIR) buildWebIfNeeded();
await import('../server/src/main.ts');
