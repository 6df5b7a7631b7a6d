import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Searches the public help centre the page is on and waits for the answer before reading the
 * list; returns the results' text.
 */
export async function helpSearch(page: Page, q: string): Promise<string> {
  const answered = page.waitForResponse(
    (r) => r.url().includes('/api/v1/help/articles?') && r.url().includes('q='),
  );
  await page.getByTestId('help-search').locator('input').fill(q);
  await page.getByTestId('help-search').locator('input').press('Enter');
  expect((await answered).status()).toBe(200);
  // The answer arrives before React renders it: wait until the list has settled.
  const results = page.getByTestId('help-results');
  await expect
    .poll(
      async () =>
        (await results.getAttribute('aria-busy')) !== 'true' &&
        (await results.innerText()).trim() !== '',
    )
    .toBe(true);
  return results.innerText();
}
