import type { Browser, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

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

/**
 * Clicks the visible option with `text` of an antd Select that is open. It waits until the
 * dropdown has finished sliding in: on a loaded machine a click aimed while it still moved
 * landed on the option beside (CI picked 仅内部 for 全部客户).
 */
export async function pickOption(page: Page, text: string): Promise<void> {
  const dropdown = page
    .locator('.ant-select-dropdown:visible')
    .filter({ has: page.locator('.ant-select-item-option', { hasText: text }) })
    .first();
  const option = dropdown.locator('.ant-select-item-option').filter({ hasText: text }).first();
  await option.waitFor();
  await expect
    .poll(async () => (await dropdown.getAttribute('class')) ?? '')
    .not.toMatch(/-(enter|appear)\b/);
  await option.click();
}

/**
 * Opens the antd Select `select` (its root or its input), picks the option with `text` and
 * checks the select now shows it; tries again (at most four times) if the pick did not take.
 */
export async function chooseIn(page: Page, select: Locator, text: string): Promise<void> {
  const root = select.locator(
    'xpath=ancestor-or-self::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]',
  );
  for (let attempt = 1; ; attempt++) {
    await select.click();
    await pickOption(page, text);
    try {
      await expect.poll(() => root.innerText(), { timeout: 3_000 }).toContain(text);
      return;
    } catch (error) {
      if (attempt >= 4) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/** Opens the antd Select with test id `testId` and picks the option with `text`. */
export async function choose(page: Page, testId: string, text: string): Promise<void> {
  await chooseIn(page, page.getByTestId(testId), text);
}
