import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

// Apart from demo.ts: benches import that one outside vitest, where `vitest` cannot load.

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
