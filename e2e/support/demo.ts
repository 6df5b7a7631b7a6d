import type { Browser, BrowserContextOptions, Page } from 'playwright-core';

/** The demo workspace's password (server/src/demo/seed.ts). */
export const DEMO_PASSWORD = 'kefu-demo-2026';

/** A signed-in staff page in its own browser context (own cookies), in Chinese by default. */
export async function signInStaff(
  browser: Browser,
  baseUrl: string,
  email: string,
  context: BrowserContextOptions = { locale: 'zh-CN' },
): Promise<Page> {
  const page = await (await browser.newContext(context)).newPage();
  await page.goto(`${baseUrl}/sign-in`);
  await page.locator('input#email').fill(email);
  await page.locator('input#password').fill(DEMO_PASSWORD);
  await page.locator('button[type=submit]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  return page;
}
