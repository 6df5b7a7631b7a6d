import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { signInStaff } from './support/demo.js';
import { helpSearch } from './support/help.js';
import { chooseIn } from './support/select.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();

describe.skipIf(!available)('knowledge base: write, review three times, publish, find', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ KEFU_DEMO: '1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const staff = (email: string) => signInStaff(browser, server.url, email);

  const statusOf = (page: Page) => page.getByTestId('kb-status').innerText();

  /** One review step by `email`: open the article, approve, confirm the (optional) comment. */
  async function approveAs(email: string, articleUrl: string, expected: string, step: string) {
    const page = await staff(email);
    if (step === '复审') {
      // The reviewer finds it under 待我审核 and is told it is their turn.
      await page.goto(`${server.url}/knowledge`);
      await page.getByTestId('kb-tab-awaiting').click();
      await page.getByTestId('kb-awaiting').getByTestId('kb-article-link').first().waitFor();
    }
    await page.goto(articleUrl);
    await expect
      .poll(() => page.getByTestId('kb-next-step').innerText({ timeout: 5_000 }))
      .toContain('轮到您了');
    await page.getByTestId('kb-action-approve').click();
    await page.getByTestId('kb-action-comment').fill('内容准确，同意');
    await page.locator('.ant-modal-confirm .ant-btn-primary').click();
    // Says what happened, not just "saved".
    await page.getByText(`已通过：${step}`).first().waitFor({ timeout: 15_000 });
    await expect.poll(() => statusOf(page), { timeout: 15_000 }).toContain(expected);
    await page.context().close();
  }

  it('an editor writes an article; 初审, 复审, 终审 by the demo reviewers; published; a guest finds it', async () => {
    // Each run starts from a fresh demo workspace: a fixed title is unique there.
    const marker = '旧家电上门估价';
    const title = '旧家电上门估价与回收流程';

    // 1. The knowledge editor writes a public SOP with a flowchart and submits it.
    const editor = await staff('editor@kefu.demo');
    await editor.goto(`${server.url}/knowledge`);
    await editor.getByTestId('kb-create').click();
    const form = editor.getByTestId('kb-new-form');
    await form.locator('input#title').fill(title);
    await chooseIn(editor, form.locator('#categoryId'), '退换货与退款');
    await chooseIn(editor, form.locator('#audience'), '全部客户');
    await editor.locator('.ant-modal .ant-btn-primary').click();
    await editor.waitForURL(/\/knowledge\/articles\//);
    const articleUrl = editor.url();
    await expect.poll(() => editor.locator('.ant-card').first().innerText()).toContain('全部客户');
    await editor.getByTestId('kb-edit-body').fill(
      `## ${marker}\n\n旧机由合作回收商上门评估。\n\n` +
        // Neither an overlay nor an outside image survives (server and renderer sanitise).
        '<div style="position:fixed;inset:0;background:red">覆盖层</div>\n\n' +
        '![外链图片](https://tracker.example/pixel.png)\n\n' +
        '```mermaid\nflowchart LR\n  A[提交回收申请] --> B[上门评估] --> C[回收款到账]\n```\n',
    );
    await editor.getByTestId('kb-save').click();
    // The preview draws the flowchart (mermaid is loaded on demand).
    await editor.getByTestId('kb-preview').getByTestId('kb-mermaid').waitFor({ timeout: 20_000 });
    const preview = await editor.getByTestId('kb-preview').innerHTML();
    expect(preview).toContain('覆盖层');
    expect(preview).not.toContain('position:fixed');
    expect(preview).not.toContain('tracker.example');
    await editor.getByTestId('kb-action-submit').click();
    await expect.poll(() => statusOf(editor), { timeout: 15_000 }).toContain('待初审');
    await expect
      .poll(() => editor.getByTestId('kb-next-step').innerText())
      .toContain('知识库编辑进行初审');

    // 2. Three review steps by three other people. The editor wrote it, so an administrator
    //    (who may act at any step) does the editors' 初审; then the supervisor and legal.
    await approveAs('admin@kefu.demo', articleUrl, '初审通过', '初审');
    await approveAs('supervisor@kefu.demo', articleUrl, '复审通过', '复审');
    await approveAs('reviewer@kefu.demo', articleUrl, '终审通过', '终审');

    // 3. The editor publishes; the live body shows the diagram.
    await editor.reload();
    await editor.getByTestId('kb-action-publish').click();
    await expect.poll(() => statusOf(editor), { timeout: 15_000 }).toContain('已发布');
    await editor.getByText('已发布：此版本现已生效').first().waitFor({ timeout: 15_000 });
    await editor.getByTestId('kb-body').getByTestId('kb-mermaid').waitFor({ timeout: 20_000 });
    await editor.context().close();

    // 4. A guest (no sign-in) finds it in the help centre and sees the flowchart there too.
    const guestContext = await browser.newContext({ locale: 'zh-CN' });
    const guest = await guestContext.newPage();
    await guest.goto(`${server.url}/help`);
    const found = await helpSearch(guest, '旧家电估价');
    expect(found).toContain(title);
    expect(found).not.toMatch(/flowchart|-->/); // snippets leave the Mermaid source out
    await guest.getByTestId('help-results').getByText(title).click();
    await guest.waitForURL(/\/help\/articles\//);
    await expect.poll(() => guest.getByTestId('help-title').innerText()).toContain(title);
    await guest.getByTestId('help-body').getByTestId('kb-mermaid').waitFor({ timeout: 20_000 });

    // 5. An internal article of the demo manual (首问负责制) is not found by the guest,
    //    while staff search finds it.
    await guest.goto(`${server.url}/help`);
    expect(await helpSearch(guest, '首问负责制')).not.toContain('首问负责制');
    await guestContext.close();
    const agent = await staff('agent@kefu.demo');
    await agent.goto(`${server.url}/knowledge`);
    await agent.getByTestId('kb-search').locator('input').fill('首问负责制');
    await agent.getByTestId('kb-search').locator('input').press('Enter');
    await expect
      .poll(() => agent.getByTestId('kb-search-results').innerText(), { timeout: 15_000 })
      .toContain('首问负责制');
    await agent.context().close();
  }, 120_000); // five sign-ins and a guest on a shared machine

  it('the reply box warns about forbidden phrases and cites a suggested article', async () => {
    const agent = await staff('agent@kefu.demo');
    await agent.goto(`${server.url}/tickets`);
    // Any open demo ticket the agent may answer.
    const response = await agent.evaluate(() =>
      fetch('/api/v1/tickets?queue=all&limit=20').then((r) => r.json()),
    );
    const ticket = (response.data as { id: string; status: string }[]).find(
      (x) => !['closed', 'archived'].includes(x.status),
    );
    expect(ticket).toBeDefined();
    await agent.goto(`${server.url}/tickets/${ticket!.id}`);

    await agent.getByTestId('reply-body').fill('这不是我的职责，你自己看说明');
    const warning = agent.getByTestId('phrase-warning');
    await warning.waitFor({ timeout: 15_000 });
    await expect.poll(() => warning.locator('mark').count()).toBeGreaterThanOrEqual(2);
    expect(await warning.innerText()).toContain('这不是我的职责');

    await agent.getByTestId('reply-body').fill('');
    await agent.getByTestId('kb-suggestions').getByRole('button').first().click();
    await agent.getByTestId('kb-suggestion').first().waitFor({ timeout: 15_000 });
    await agent.getByTestId('kb-cite-excerpt').first().click();
    await expect
      .poll(() => agent.getByTestId('reply-body').inputValue(), { timeout: 15_000 })
      .not.toBe('');
    await expect
      .poll(() => agent.getByTestId('ticket-timeline').innerText(), { timeout: 15_000 })
      .toContain('引用了知识库文章');
    await agent.context().close();
  });
});
