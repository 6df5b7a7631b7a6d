import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.KEFU_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Whether browser tests can run. Without Chromium they are skipped with one visible line,
 * unless KEFU_REQUIRE_BROWSER=1 (CI), where its absence is a failure.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.KEFU_REQUIRE_BROWSER === '1') {
    throw new Error(`browser tests REQUIRED but ${CHROMIUM} not found (apt-get install chromium)`);
  }
  console.log(`browser tests SKIPPED: ${CHROMIUM} not found (apt-get install chromium)`);
  return false;
}

/**
 * Debian's Chromium, headless, with the flags this sandboxed machine needs; never a download.
 * Playwright gives each launch a fresh temporary profile.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}
