import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.KEFU_CHROMIUM ?? '/usr/bin/chromium';

/** Whether browser tests can run; `global-setup.ts` reports (or, in CI, fails on) its absence. */
export function browserAvailable(): boolean {
  return existsSync(CHROMIUM);
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
