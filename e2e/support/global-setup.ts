import { existsSync } from 'node:fs';
import { CHROMIUM } from './browser.js';

/** Says once per run — not once per file — that browser tests are skipped, or fails in CI. */
export default function setup(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.env.KEFU_REQUIRE_BROWSER === '1') {
    throw new Error(`browser tests REQUIRED but ${CHROMIUM} not found (apt-get install chromium)`);
  }
  console.log(`browser tests SKIPPED: ${CHROMIUM} not found (apt-get install chromium)`);
}
