// What a screen reader is told without being moved (issue 17): search results, a
// draft kept in the browser, a sent reply and a technician's live reply are said by
// polite live regions (`role="status"` or `aria-live`), and none of them takes the
// keyboard focus from where the person is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DEMO_PASSWORD, launch, newPage, open } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const RUN = Date.now().toString(36);
const LIVE = '[role="status"], [aria-live="polite"]';

/// Waits until a live region on the page says `text` (its text, so a visually hidden
/// region counts too).
async function saidAloud(page, text) {
  await page.waitForFunction(([selector, text]) => [...document.querySelectorAll(selector)]
    .some((region) => region.textContent.includes(text)), [LIVE, text]);
}

/// The id of the focused element, and whether it sits in a live region (which would
/// mean the announcement took the focus).
const focus = (page) => page.evaluate((selector) => ({
  id: document.activeElement?.id ?? '',
  inLiveRegion: Boolean(document.activeElement?.closest(selector)),
}), LIVE);

test('search results are announced while the focus stays in the search box', async () => {
  const page = await newPage(browser);
  await open(page, '/');
  await page.locator('#home-search').click();
  await page.keyboard.type('printer', { delay: 30 });
  await saidAloud(page, 'Articles found:');
  assert.deepEqual(await focus(page), { id: 'home-search', inLiveRegion: false });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a draft kept in the browser is announced when the form opens again, without taking the focus', async () => {
  const page = await newPage(browser);
  await open(page, '/tickets/new');
  await page.getByLabel('Subject').fill(`Scanner jams ${RUN}`);
  await page.reload();
  await page.locator('#ticket-form').waitFor();
  await saidAloud(page, 'We restored the ticket you were writing');
  assert.equal((await focus(page)).inLiveRegion, false);
  assert.equal(await page.getByLabel('Subject').inputValue(), `Scanner jams ${RUN}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a sent reply and a technician\'s live reply are announced, and the focus stays in the reply box', async () => {
  const filed = await (await fetch(`${BASE}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: BASE, 'Idempotency-Key': `announce-${RUN}` },
    body: JSON.stringify({
      name: 'Ada Lovelace', email: 'ada@example.org', category: 'network', language: 'en',
      subject: `Toner warning ${RUN}`, description: 'The printer says the toner is low but it is new.',
      impact: 'me', urgency: 'slowed',
    }),
  })).json();
  const page = await newPage(browser);
  await open(page, filed.tracking_path);
  await page.getByText('Live: new replies appear here').waitFor();

  // Sent with the keyboard: the reply box, then Tab to "Send" and Enter.
  const box = page.getByLabel('Write to the technician');
  await box.click();
  await page.keyboard.type('It is the HP in room 12.');
  const send = page.locator('.reply-form button[type=submit]');
  await send.focus();
  await page.keyboard.press('Enter');
  await saidAloud(page, 'Your reply was sent.');
  await page.locator('.timeline-entry', { hasText: 'It is the HP in room 12.' }).waitFor();
  // The button kept the focus while it was busy (a disabled one drops it to the top
  // of the page).
  assert.ok(await send.evaluate((el) => el === document.activeElement), 'the focus stays on Send');
  assert.equal((await focus(page)).inLiveRegion, false);

  // Pressed twice in one go, it sends once: the second press comes while it is busy.
  // Its answer is held back until the live update has redrawn the ticket with the
  // reply, as happens when the stream is quicker than the answer: the button stays
  // busy through the redraw, and once the answer comes, only the sent text leaves the
  // box; what was written meanwhile stays.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/replies', async (route) => {
    const response = await route.fetch();
    await held;
    await route.fulfill({ response });
  });
  await box.fill('Room 12 is on the second floor.');
  await send.evaluate((el) => { el.click(); el.click(); });
  await page.locator('.timeline-entry', { hasText: 'Room 12 is on the second floor.' }).waitFor();
  assert.equal(await send.getAttribute('aria-disabled'), 'true', 'Send is still busy after the redraw');
  await box.press('End');
  await page.keyboard.type(' Left of the lift.');
  release();
  await saidAloud(page, 'Your reply was sent.');
  await page.unroute('**/replies');
  assert.equal(await box.inputValue(), 'Left of the lift.');
  await page.waitForTimeout(500);
  assert.equal(await page.locator('.timeline-entry', { hasText: 'Room 12 is on the second floor.' }).count(), 1);
  await box.fill('');

  // Writing the next reply when the technician answers: the page says who, and the
  // caret stays in the box.
  await box.click();
  await page.keyboard.type('Also');
  const context = await browser.newContext({ extraHTTPHeaders: { origin: BASE } });
  assert.equal((await context.request.post(`${BASE}/api/v1/auth/sign-in`, {
    data: { email: 'tier1@demo.selfdesk', password: DEMO_PASSWORD },
  })).status(), 200);
  const reply = await context.request.post(`${BASE}/api/v1/staff/tickets/${filed.number}/replies`, {
    data: { body: 'Thanks, I am on my way with a new cartridge.' },
  });
  assert.equal(reply.status(), 200, await reply.text());
  await saidAloud(page, 'New update from');
  await page.locator('.timeline-entry', { hasText: 'on my way with a new cartridge' }).waitFor();
  assert.deepEqual(await focus(page), { id: 'reply-text', inLiveRegion: false });
  assert.equal(await box.inputValue(), 'Also');
  assert.deepEqual(page.errors, []);
  await context.close();
  await page.context().close();
});
