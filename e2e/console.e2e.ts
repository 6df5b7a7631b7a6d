import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { signInStaff } from './support/demo.js';
import { choose } from './support/select.js';
import { startServer, type RunningServer } from './support/server.js';

const available = browserAvailable();

/** A 1×1 transparent PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const TEXT = '退款流水：123456\nrefund reference 123456\n';
/** "MZ": a Windows executable by its magic bytes, whatever its name says. */
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(256)]);

describe.skipIf(!available)('agent console: attachments, split, SLA, notifications, views', () => {
  let server: RunningServer;
  let browser: Browser;
  /** The L3 complaint the notification test registers; the later tests work on it. */
  let ticketUrl = '';
  let ticketNumber = '';

  beforeAll(async () => {
    server = await startServer({ KEFU_DEMO: '1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const staff = (email: string) =>
    signInStaff(browser, server.url, email, { locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });

  /** Opens an antd Select by its test id and clicks the option with `text`. */

  /** The bell's unread count, as its accessible name says it ("通知（3 条未读）"). */
  async function unreadOf(page: Page): Promise<number> {
    const label = (await page.getByTestId('notification-bell').getAttribute('aria-label')) ?? '';
    const match = /(\d+)/.exec(label);
    if (!match) throw new Error(`no count in the bell's label: ${label}`);
    return Number(match[1]);
  }

  /** Opens the saved-views menu once the views have loaded (a loading button ignores clicks). */
  async function openViews(page: Page) {
    const button = page.getByTestId('saved-views');
    await expect.poll(() => button.getAttribute('class')).not.toContain('ant-btn-loading');
    await button.click();
    await page.locator('.ant-dropdown:visible').waitFor();
  }

  const isApi =
    (path: string, method = 'GET') =>
    (r: Response) =>
      r.request().method() === method && new URL(r.url()).pathname === `/api/v1${path}`;

  it('a supervisor is notified live of an agent’s L3 complaint; the bell links to it', async () => {
    const supervisor = await staff('supervisor@kefu.demo');
    await supervisor.goto(`${server.url}/tickets?queue=all`);
    await supervisor.getByTestId('tickets-table').waitFor();
    // The badge starts from the server's count (not from zero) once the list has loaded. The SLA
    // sweeper may notify meanwhile, so both counts are read again until they agree.
    let before = -1;
    await expect
      .poll(
        async () => {
          const listed = await supervisor.request.get(`${server.url}/api/v1/notifications`);
          before = ((await listed.json()) as { unreadCount: number }).unreadCount;
          return (await unreadOf(supervisor)) === before;
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBe(true);

    const agent = await staff('agent@kefu.demo');
    await agent.goto(`${server.url}/tickets/new`);
    await agent.getByTestId('ticket-channel').getByText('线下/现场').click();
    await agent.getByTestId('customer-phone').locator('input').fill('13911112222');
    await agent.getByTestId('customer-name').fill('周女士');
    await choose(agent, 'ticket-category', '投诉');
    const subject = `门店拒绝开具发票投诉 ${Date.now()}`;
    await agent.getByTestId('ticket-subject').fill(subject);
    await agent
      .getByTestId('ticket-description')
      .fill('客户投诉门店拒绝开具发票；另外询问会员积分为何未到账。');
    await agent.getByTestId('ticket-submit').click();
    await agent.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    ticketUrl = agent.url();
    ticketNumber = (await agent.getByTestId('ticket-number').innerText()).trim();
    await expect(
      agent.getByTestId('ticket-header').getByTestId('tier-tag').innerText(),
    ).resolves.toBe('L3');

    // No reload: the stream pushes it and the badge goes up (the SLA sweeper may add more).
    await expect
      .poll(() => unreadOf(supervisor), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(before + 1);
    expect(new URL(supervisor.url()).pathname).toBe('/tickets');

    await supervisor.getByTestId('notification-bell').click();
    const list = supervisor.getByTestId('notification-list');
    const entry = list.locator('[data-testid^="notification-"][role=button]').filter({
      hasText: ticketNumber,
    });
    await expect.poll(() => entry.innerText()).toContain(subject);
    await expect(entry.innerText()).resolves.toContain('绿色通道');
    await entry.click();
    await supervisor.waitForURL(ticketUrl);
    await expect.poll(() => supervisor.getByTestId('ticket-number').innerText()).toBe(ticketNumber);
    // Opening it marked it read.
    await expect
      .poll(async () => {
        const res = await supervisor.request.get(`${server.url}/api/v1/notifications`);
        const { data } = (await res.json()) as {
          data: { ticketId: string | null; readAt: string | null }[];
        };
        return data.find((n) => ticketUrl.endsWith(`/${n.ticketId}`))?.readAt ?? null;
      })
      .not.toBeNull();
    await supervisor.context().close();
    await agent.context().close();
  });

  it('the SLA card counts down (or says it is paused); the console orders by due soonest', async () => {
    expect(ticketUrl).not.toBe('');
    const agent = await staff('agent@kefu.demo');
    await agent.goto(ticketUrl);
    // A complaint must be contacted within its time limit: that clock is open on a fresh ticket.
    const clock = agent.getByTestId('sla-complaint_contacted');
    const countdown = clock.getByTestId('sla-countdown');
    await countdown.waitFor();
    // The demo server runs on the real clock: outside working hours the clock is paused.
    if ((await clock.getByTestId('sla-paused').count()) > 0) {
      await expect(clock.getByTestId('sla-paused').innerText()).resolves.toContain(
        '暂停：非工作时间',
      );
    } else {
      const first = await countdown.innerText();
      expect(first).toMatch(/^剩余 /);
      await expect.poll(() => countdown.innerText(), { timeout: 5_000 }).not.toBe(first);
    }

    // The console: the due column, and "due soonest" puts tickets with a due time first.
    await agent.goto(`${server.url}/tickets?queue=all`);
    const table = agent.getByTestId('tickets-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    const sorted = agent.waitForResponse(
      (r) => isApi('/tickets')(r) && new URL(r.url()).searchParams.get('sort') === 'due_asc',
    );
    await choose(agent, 'ticket-sort', '最先到期在前');
    const page = (await (await sorted).json()) as {
      data: { number: string; slaDueAt: string | null }[];
    };
    await agent.waitForURL((u) => u.searchParams.get('sort') === 'due_asc');
    const dues = page.data.map((t) => t.slaDueAt);
    const withDue = dues.filter((d): d is string => d !== null);
    expect(withDue.length).toBeGreaterThan(0);
    // Every ticket with a due time before every one without; due times ascending.
    expect(dues.slice(0, withDue.length).every((d) => d !== null)).toBe(true);
    const times = withDue.map((d) => Date.parse(d));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    // The table shows that order, with the due column filled on the first rows.
    const rows = table.locator('tbody tr.ant-table-row');
    await expect
      .poll(() => rows.first().getByTestId('ticket-link').innerText())
      .toBe(page.data[0]!.number);
    const hasDue = await rows.evaluateAll((trs) =>
      trs.map((tr) => tr.querySelector('[data-testid=ticket-due]') !== null),
    );
    expect(hasDue.slice(0, withDue.length).every(Boolean)).toBe(true);
    expect(hasDue.slice(withDue.length, page.data.length).some(Boolean)).toBe(false);
    // Sorting by due is also marked on the column header.
    await expect(table.locator('th.ant-table-column-sort').innerText()).resolves.toContain(
      '时效截止',
    );
    await agent.context().close();
  });

  it('attaches a PNG and a text file to a public reply, downloads one, refuses a disguised .exe', async () => {
    expect(ticketUrl).not.toBe('');
    const agent = await staff('agent@kefu.demo');
    await agent.goto(ticketUrl);
    const fileInput = agent.getByTestId('reply-attachments').locator('input[type=file]');

    // Both files at once: each uploads on its own and shows as a tag in the reply box.
    await fileInput.setInputFiles([
      { name: '发票照片.png', mimeType: 'image/png', buffer: PNG },
      { name: 'refund-note.txt', mimeType: 'text/plain', buffer: Buffer.from(TEXT) },
    ]);
    await expect.poll(() => agent.getByTestId('reply-attachment').count()).toBe(2);

    // An executable named .png: refused by its content, with the translated 415 message.
    const refused = agent.waitForResponse(
      isApi(`/tickets/${ticketUrl.split('/').pop()}/attachments`, 'POST'),
    );
    await fileInput.setInputFiles({ name: 'invoice.png', mimeType: 'image/png', buffer: EXE });
    expect((await refused).status()).toBe(415);
    await expect
      .poll(() => agent.locator('.ant-message').innerText())
      .toContain('不支持“invoice.png”的文件类型（按内容识别为 application/x-msdownload）');
    expect(await agent.getByTestId('reply-attachment').count()).toBe(2);

    const body = '发票照片和退款说明已附上，请查收。';
    await agent.getByTestId('reply-body').fill(body);
    await agent.getByTestId('reply-send').click();
    const reply = agent
      .locator('[data-testid=timeline-entry][data-kind=reply]')
      .filter({ hasText: body });
    await reply.waitFor();
    await expect.poll(() => reply.getByTestId('attachment-link').count()).toBe(2);
    await expect(reply.innerText()).resolves.toContain('发票照片.png');
    await expect(reply.innerText()).resolves.toContain('refund-note.txt');
    // The reply box is empty again.
    await expect.poll(() => agent.getByTestId('reply-attachment').count()).toBe(0);

    // The Attachments card lists both (the refused upload left nothing).
    const card = agent.getByTestId('ticket-attachments');
    await expect.poll(() => card.getByTestId('ticket-attachment').count()).toBe(2);
    await expect(card.innerText()).resolves.toContain('发票照片.png');
    await expect(card.innerText()).resolves.toContain('refund-note.txt');

    // Downloading the text file (with the page's session): the safe-download headers.
    const href = await card
      .getByTestId('ticket-attachment')
      .filter({ hasText: 'refund-note.txt' })
      .locator('a')
      .first()
      .getAttribute('href');
    expect(href).toBeTruthy();
    const download = await agent.request.get(new URL(href!, server.url).toString());
    expect(download.status()).toBe(200);
    const headers = download.headers();
    expect(headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(headers['content-disposition']).toMatch(/^attachment;/);
    expect(headers['content-disposition']).toContain("filename*=UTF-8''refund-note.txt");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-security-policy']).toContain('sandbox');
    expect(await download.text()).toBe(TEXT);

    // The image from the timeline link: shown inline, its bytes unchanged.
    const imageHref = await reply
      .getByTestId('attachment-link')
      .filter({ hasText: '发票照片.png' })
      .getAttribute('href');
    const image = await agent.request.get(new URL(imageHref!, server.url).toString());
    expect(image.headers()['content-type']).toBe('image/png');
    expect(image.headers()['content-disposition']).toMatch(/^inline;/);
    expect(Buffer.compare(await image.body(), PNG)).toBe(0);
    await agent.context().close();
  });

  it('splits the second request out of the ticket; both link to each other', async () => {
    expect(ticketUrl).not.toBe('');
    const agent = await staff('agent@kefu.demo');
    await agent.goto(ticketUrl);
    await agent.getByTestId('split-ticket').click();
    const form = agent.getByTestId('split-form');
    const subject = `会员积分未到账 ${Date.now()}`;
    await form.getByTestId('split-subject').fill(subject);
    await form.locator('textarea').first().fill('客户询问上月消费的会员积分为何未到账。');
    const created = agent.waitForResponse(
      isApi(`/tickets/${ticketUrl.split('/').pop()}/split`, 'POST'),
    );
    await agent
      .locator('.ant-modal')
      .filter({ has: form })
      .locator('button.ant-btn-primary')
      .click();
    expect((await created).status()).toBe(201);

    // The dialog opens the new ticket: same customer, linked to its source.
    await agent.waitForURL(
      (u) => /^\/tickets\/[0-9a-f-]{36}$/.test(u.pathname) && u.href !== ticketUrl,
    );
    const newUrl = agent.url();
    await expect.poll(() => agent.getByTestId('ticket-header').innerText()).toContain(subject);
    const newNumber = (await agent.getByTestId('ticket-number').innerText()).trim();
    expect(newNumber).not.toBe(ticketNumber);
    await expect
      .poll(() => agent.getByTestId('related-tickets').innerText())
      .toContain(ticketNumber);
    await expect
      .poll(() => agent.getByTestId('ticket-timeline').innerText())
      .toContain(ticketNumber);

    // The link back: the source names the new ticket, and its link opens it.
    await agent.getByTestId('related-tickets').getByRole('link', { name: ticketNumber }).click();
    await agent.waitForURL(ticketUrl);
    const related = agent.getByTestId('related-tickets');
    await expect.poll(() => related.innerText()).toContain(newNumber);
    await expect.poll(() => agent.getByTestId('ticket-timeline').innerText()).toContain(newNumber);
    await related.getByRole('link', { name: newNumber }).click();
    await agent.waitForURL(newUrl);
    await agent.context().close();
  });

  it('saves the current filter as a view on the server: still there after a reload and elsewhere', async () => {
    const agent = await staff('agent@kefu.demo');
    await agent.goto(`${server.url}/tickets?queue=all`);
    await agent.getByTestId('tickets-table').waitFor();
    await choose(agent, 'filter-tier', 'L3');
    await agent.keyboard.press('Escape');
    await agent.waitForURL((u) => u.searchParams.get('tier') === 'L3');

    const name = `L3 全部工单 ${Date.now() % 100_000}`;
    await agent.getByTestId('save-view').click();
    const nameInput = agent.getByTestId('view-name');
    await nameInput.fill(name);
    // The modal may still be mounting its form while opening: submit only once the value holds.
    await expect.poll(() => nameInput.inputValue()).toBe(name);
    const saved = agent.waitForResponse(isApi('/ticket-views', 'POST'));
    await nameInput.press('Enter');
    const savedAnswer = await saved;
    expect(savedAnswer.status()).toBe(201);
    // The view stores the filter just picked, however late the page re-rendered.
    const stored = JSON.parse(savedAnswer.request().postData() ?? '{}') as { search?: string };
    expect(new URLSearchParams(stored.search).get('tier')).toBe('L3');

    // A view lives on the server, not in this browser.
    await agent.evaluate(() => window.localStorage.clear());
    await agent.reload();
    await agent.goto(`${server.url}/tickets?queue=mine`);
    await openViews(agent);
    const item = agent.locator('.ant-dropdown:visible .ant-dropdown-menu-item').filter({
      hasText: name,
    });
    const filtered = agent.waitForResponse((r) => {
      const u = new URL(r.url());
      return (
        isApi('/tickets')(r) &&
        u.searchParams.get('queue') === 'all' &&
        u.searchParams.get('tier') === 'L3'
      );
    });
    await item.click();
    await agent.waitForURL(
      (u) => u.searchParams.get('queue') === 'all' && u.searchParams.get('tier') === 'L3',
    );
    // The view's filter applies: only L3 tickets, among them the complaint registered above.
    // (At 1280 px the tier column is left out of the table — issue 9 — so read the answer.)
    const answer = (await (await filtered).json()) as { data: { tier: string }[] };
    expect([...new Set(answer.data.map((t) => t.tier))]).toEqual(['L3']);
    await expect.poll(() => agent.getByTestId('tickets-table').innerText()).toContain(ticketNumber);

    // Another browser (fresh storage) of the same person has it too.
    const elsewhere = await staff('agent@kefu.demo');
    await elsewhere.goto(`${server.url}/tickets`);
    await openViews(elsewhere);
    await elsewhere
      .locator('.ant-dropdown:visible .ant-dropdown-menu-item')
      .filter({ hasText: name })
      .waitFor();
    await elsewhere.context().close();
    await agent.context().close();
  });
});
