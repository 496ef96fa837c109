// Tickets in the browser, requester side: filing from a prefilled link, field errors,
// a draft that survives a reload, a submit whose answer is lost and is retried
// without filing twice, and following the ticket live while a technician (through
// the API) replies, escalates and resolves — then confirming with a rating, or
// reopening.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { BASE, DEMO_PASSWORD, launch, newPage, open, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const RUN = Date.now().toString(36);
// A real 1×1 PNG, and a Windows program dressed up as one.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII=', 'base64');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64, 0x90)]);

/// A specialist's API session (what the staff app would do; tier 2, so they may
/// still resolve after escalating), for driving the ticket
/// from the other side while the requester watches.
async function technicianApi() {
  // The server refuses state-changing requests carrying the staff cookie unless they
  // come from the portal's own origin (a browser page sends that by itself).
  const context = await browser.newContext({ extraHTTPHeaders: { origin: BASE } });
  const response = await context.request.post(`${BASE}/api/v1/auth/sign-in`, {
    data: { email: 'tier2@demo.selfdesk', password: DEMO_PASSWORD },
  });
  assert.equal(response.status(), 200);
  const act = async (number, action, data) => {
    const r = await context.request.post(`${BASE}/api/v1/staff/tickets/${number}/${action}`, { data });
    assert.equal(r.status(), 200, await r.text());
    return r.json();
  };
  return { context, act };
}

async function fillRequester(page) {
  await page.getByLabel('Your name').fill('Ada Lovelace');
  await page.getByLabel('Email address').fill('ada@example.org');
}

/// A ticket filed through the API as the form would, for tests that start on its page:
/// its number and its link's token.
async function fileThroughApi(page, subject) {
  const filed = await page.request.post(`${BASE}/api/v1/tickets`, {
    headers: { 'Idempotency-Key': `e2e-api-${RUN}-${Math.random()}`, origin: BASE },
    data: {
      name: 'Ada Lovelace', email: 'ada@example.org', category: 'network', subject,
      description: 'The Wi-Fi drops.', impact: 'me', urgency: 'slowed', language: 'en',
    },
  });
  assert.equal(filed.status(), 201, await filed.text());
  const { number, access_token: token } = await filed.json();
  return { number, token };
}

function numberFromUrl(page) {
  return new URL(page.url()).pathname.split('/').pop();
}

test('a prefilled ticket is filed, followed live, confirmed and rated', async () => {
  const page = await newPage(browser);
  const subject = `Printer prints blank pages ${RUN}`;
  await open(page, `/tickets/new?category=printing&impact=team&urgency=blocked&subject=${encodeURIComponent(subject)}`);
  await page.locator('#ticket-form').waitFor();
  assert.equal(await page.getByLabel('Subject').inputValue(), subject);
  assert.equal(await page.getByLabel('Category').inputValue(), 'printing');
  assert.ok(await page.getByLabel('My team or several colleagues').isChecked());
  assert.ok(await page.getByLabel('I cannot work at all').isChecked());
  await page.getByText('Priority P2 — high').waitFor();
  // The subject already suggests articles: the answer may be there.
  await page.locator('.ticket-suggestions a[href="/kb/printer-not-printing-from-laptop"]').waitFor();
  await fillRequester(page);
  await page.getByLabel('Printer name or location').fill('3rd floor, by the kitchen');
  await page.getByLabel('Description').fill('Every page comes out **blank** since this morning.');
  const files = page.getByLabel('Attach screenshots or logs (optional)');
  await files.setInputFiles([{ name: 'holiday.png', mimeType: 'image/png', buffer: EXE }]);
  await page.getByText('“holiday.png” cannot be attached').waitFor();
  await files.setInputFiles([{ name: 'blank-page.png', mimeType: 'image/png', buffer: PNG }]);
  await page.locator('.attachment-list li', { hasText: 'blank-page.png' }).waitFor();
  await shot(page, 'ticket-form');
  // What the ticket's page reads as it opens: the ticket, then its live stream.
  const ticketReads = [];
  const streams = [];
  const onResponse = (response) => {
    const path = new URL(response.url()).pathname;
    if (/^\/api\/v1\/tickets\/SD-[\d-]+$/.test(path) && response.request().method() === 'GET') {
      ticketReads.push(response.json());
    }
  };
  const onRequest = (request) => {
    if (/^\/api\/v1\/tickets\/SD-[\d-]+\/events$/.test(new URL(request.url()).pathname)) {
      streams.push(new URL(request.url()));
    }
  };
  page.on('response', onResponse);
  page.on('request', onRequest);
  await page.getByRole('button', { name: 'Send ticket' }).click();

  await page.waitForURL(/\/tickets\/SD-\d{4}-\d{6}/);
  const number = numberFromUrl(page);
  await page.getByText(`Your ticket ${number} has been filed`).waitFor();
  const link = await page.locator('#tracking-link').inputValue();
  assert.match(link, new RegExp(`/tickets/${number}#access=.{20,}`));
  await page.getByText('Live: new replies appear here').waitFor();
  await page.locator('.prose strong', { hasText: 'blank' }).waitFor();
  // The stream opens after the ticket is shown, from its newest event: the page
  // reads the ticket once, not once more per event it already shows.
  await page.waitForTimeout(500);
  page.off('response', onResponse);
  page.off('request', onRequest);
  assert.equal(ticketReads.length, 1, 'the ticket is read once as its page opens');
  assert.equal(streams.length, 1);
  const newest = Math.max(...(await ticketReads[0]).events.map((e) => e.id));
  assert.equal(streams[0].searchParams.get('after'), String(newest));
  // Following the link asks for a short-lived download grant first (the token never
  // goes into a URL), then the browser downloads the file.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'blank-page.png' }).click(),
  ]);
  assert.match(download.url(), /[?&]grant=/);
  assert.deepEqual(await fs.readFile(await download.path()), PNG);
  await shot(page, 'ticket-filed');

  // The technician works the ticket; the page follows without a reload.
  const tech = await technicianApi();
  await tech.act(number, 'replies', { body: 'Internal: check the fuser first', internal: true });
  await tech.act(number, 'replies', { body: 'Which **tray** do you print from?' });
  await page.locator('.timeline-entry.from-staff .prose strong', { hasText: 'tray' }).waitFor();
  await tech.act(number, 'tier', { tier: 2, reason: 'Needs the print server team' });
  await page.getByText('Specialists (tier 2)').first().waitFor();
  assert.equal(await page.getByText('check the fuser').count(), 0, 'internal notes stay internal');
  await shot(page, 'ticket-live-reply');

  await page.getByLabel('Write to the technician').fill('Tray 2, always.');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.locator('.timeline-entry', { hasText: 'Tray 2, always.' }).waitFor();
  assert.equal(await page.getByLabel('Write to the technician').inputValue(), '');

  await tech.act(number, 'status', { status: 'resolved', summary: 'Replaced the fuser unit.' });
  await page.getByText('Does it work now?').waitFor();
  await page.getByText('Replaced the fuser unit.').first().waitFor();
  await shot(page, 'ticket-resolved');
  await page.locator('label[for="rating-5"]').click();
  await page.getByLabel('Anything you want to tell us? (optional)').fill('Quick and kind.');
  await page.getByRole('button', { name: 'Yes, it works' }).click();
  await page.getByText('Rated 5 out of 5 — thank you.').first().waitFor();
  await page.locator('.status-steps li.current', { hasText: 'Closed' }).waitFor();
  assert.equal(await page.locator('.status-steps li.done', { hasText: 'Waiting for you' }).count(), 0,
    'a ticket that never waited for the requester does not show that step as passed');
  assert.equal(await page.getByLabel('Write to the technician').count(), 0, 'no replies on a closed ticket');
  await shot(page, 'ticket-closed');

  // "My tickets" in this browser lists it.
  await open(page, '/tickets');
  await page.getByRole('link', { name: new RegExp(number) }).waitFor();
  // Without SMTP configured (as here), asking for a new link says so honestly.
  await page.getByLabel('Ticket number').fill(number.toLowerCase());
  await page.locator('#lookup-email').fill('ada@example.org');
  await page.getByRole('button', { name: 'Email me a new link' }).click();
  await page.getByText('This help desk cannot send email').waitFor();
  await shot(page, 'my-tickets');
  assert.deepEqual(page.errors, []);
  await tech.context.close();
});

test('a tracking link reads its ticket while the app downloads, and the app uses that answer', async () => {
  const page = await newPage(browser);
  const { number, token } = await fileThroughApi(page, `Early read ${RUN}`);
  // The app's code arrives a second late: the ticket must not wait for it.
  let wasmServed = null;
  await page.route(/_bg\.wasm$/, async (route) => {
    const response = await route.fetch();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    wasmServed = Date.now();
    await route.fulfill({ response });
  });
  const reads = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === `/api/v1/tickets/${number}` && request.method() === 'GET') {
      reads.push({ at: Date.now(), authorization: request.headers().authorization });
    }
  });
  await open(page, `/tickets/${number}#access=${encodeURIComponent(token)}`);
  await page.getByRole('heading', { level: 1, name: `Early read ${RUN}` }).waitFor();
  await page.getByText('Live: new replies appear here').waitFor();
  assert.equal(reads.length, 1, 'one read: the one the page started');
  assert.ok(reads[0].at < wasmServed, 'the ticket was asked for before the app arrived');
  assert.equal(reads[0].authorization, `Bearer ${token}`);
  assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a tracking page whose first read fails reads again, then goes live', async () => {
  const page = await newPage(browser);
  const { number, token } = await fileThroughApi(page, `Read again ${RUN}`);
  // The server is briefly unavailable for the first read (a deploy, an overloaded
  // proxy); the page shows the error, reads again by itself, and opens its stream.
  let refused = 0;
  await page.route((url) => url.pathname === `/api/v1/tickets/${number}`, async (route) => {
    if (route.request().method() === 'GET' && refused === 0) {
      refused += 1;
      return route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"unavailable","message":"Down for a moment"}}' });
    }
    return route.continue();
  });
  await open(page, `/tickets/${number}#access=${encodeURIComponent(token)}`);
  await page.getByRole('button', { name: 'Try again' }).waitFor();
  await page.getByRole('heading', { level: 1, name: `Read again ${RUN}` }).waitFor({ timeout: 15_000 });
  await page.getByText('Live: new replies appear here').waitFor();
  assert.equal(refused, 1);
  await page.context().close();
});

test('missing fields are shown next to each field and nothing is filed', async () => {
  const page = await newPage(browser);
  await open(page, '/tickets/new');
  await page.locator('#ticket-form').waitFor();
  await page.getByRole('button', { name: 'Send ticket' }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  for (const text of ['Enter your name', 'Enter an email address', 'Choose a category', 'Enter a subject', 'Describe the problem', 'Choose who is affected', 'Choose how much it stops your work']) {
    await summary.getByText(text).first().waitFor();
  }
  // The summary is focused, and its links lead to the fields.
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true);
  await page.getByLabel('Category').selectOption('hardware');
  await page.getByRole('button', { name: 'Send ticket' }).click();
  await page.locator('.field-error', { hasText: 'Device or asset tag' }).waitFor();
  await summary.getByText('Fill in “Device or asset tag”').waitFor();
  await shot(page, 'ticket-form-errors');
  assert.match(page.url(), /\/tickets\/new$/);
});

test('a half-written ticket survives a reload', async () => {
  const page = await newPage(browser);
  await open(page, '/tickets/new');
  await page.locator('#ticket-form').waitFor();
  await page.getByLabel('Subject').fill('VPN drops every ten minutes');
  await page.getByLabel('Description').fill('Since Monday, on the hotel Wi-Fi.');
  await page.getByLabel('Only me').check();
  await page.reload();
  await page.locator('#ticket-form').waitFor();
  await page.getByText('We restored the ticket you were writing').waitFor();
  assert.equal(await page.getByLabel('Subject').inputValue(), 'VPN drops every ten minutes');
  assert.equal(await page.getByLabel('Description').inputValue(), 'Since Monday, on the hotel Wi-Fi.');
  assert.ok(await page.getByLabel('Only me').isChecked());
  await shot(page, 'ticket-draft-restored');
  await page.getByRole('button', { name: 'Start afresh' }).click();
  assert.equal(await page.getByLabel('Subject').inputValue(), '');
});

test('a submit whose answer is lost is sent again and filed once', async () => {
  const page = await newPage(browser);
  await open(page, '/tickets/new');
  await page.locator('#ticket-form').waitFor();
  await fillRequester(page);
  await page.getByLabel('Category').selectOption('network');
  await page.getByLabel('Subject').fill(`No internet on the 2nd floor ${RUN}`);
  await page.getByLabel('Description').fill('The cable is plugged in, the light is off.');
  await page.getByLabel('Everyone, or a whole site or service').check();
  await page.getByLabel('It slows my work down').check();

  // The server files the ticket, but the answer never reaches the browser.
  let firstNumber;
  await page.route('**/api/v1/tickets', async (route) => {
    const response = await route.fetch();
    firstNumber = (await response.json()).number;
    await route.abort('connectionreset');
  });
  await page.getByRole('button', { name: 'Send ticket' }).click();
  await page.getByText('Waiting for the network: your ticket will be sent').waitFor();
  await page.getByText('filed only once').waitFor();
  await shot(page, 'ticket-not-sent');
  await page.unroute('**/api/v1/tickets');

  await page.getByRole('button', { name: 'Send now' }).click();
  await page.waitForURL(/\/tickets\/SD-/);
  assert.ok(firstNumber, 'the first attempt reached the server');
  assert.equal(numberFromUrl(page), firstNumber, 'the retry returned the ticket already filed');
  await page.getByText(`Your ticket ${firstNumber} has been filed`).waitFor();
});

test('a resolved ticket can be reopened with a reason', async () => {
  const page = await newPage(browser);
  await open(page, '/tickets/new?category=software&impact=me&urgency=slowed');
  await page.locator('#ticket-form').waitFor();
  await fillRequester(page);
  await page.getByLabel('Application name and version').fill('Outlook 2021');
  await page.getByLabel('Subject').fill('Outlook crashes when I open attachments');
  await page.getByLabel('Description').fill('It closes at once.');
  await page.getByRole('button', { name: 'Send ticket' }).click();
  await page.waitForURL(/\/tickets\/SD-/);
  const number = numberFromUrl(page);
  const tech = await technicianApi();
  await tech.act(number, 'status', { status: 'resolved', summary: 'Repaired the Office installation.' });
  await page.getByText('Does it work now?').waitFor();
  await page.getByRole('button', { name: 'No, it is still not working' }).click();
  await page.getByRole('button', { name: 'Reopen the ticket' }).click();
  await page.getByText('Tell us what is still wrong').waitFor();
  await page.getByLabel('What is still wrong?').fill('It still crashes with PDF files.');
  await page.getByRole('button', { name: 'Reopen the ticket' }).click();
  await page.locator('.status-steps li.current', { hasText: 'In progress' }).waitFor();
  await page.locator('.timeline-entry', { hasText: 'It still crashes with PDF files.' }).waitFor();
  await shot(page, 'ticket-reopened');
  await tech.context.close();
});

test('opening a suggested article instead of filing counts as a deflected contact', async () => {
  const tech = await technicianApi();
  const summary = async () => (await tech.context.request.get(`${BASE}/api/v1/staff/self-service/summary?days=1`)).json();
  const before = await summary();
  const page = await newPage(browser);
  await open(page, `/tickets/new?subject=${encodeURIComponent('printer not printing from my laptop')}`);
  const suggestion = page.locator('.ticket-suggestions a[href="/kb/printer-not-printing-from-laptop"]');
  await suggestion.waitFor();
  await shot(page, 'ticket-suggestions');
  await suggestion.click();
  await page.waitForURL('**/kb/printer-not-printing-from-laptop');
  await page.locator('.prose').first().waitFor();
  let after = before;
  for (let i = 0; i < 20 && after.deflected === before.deflected; i += 1) {
    await page.waitForTimeout(100);
    after = await summary();
  }
  assert.equal(after.sessions_with_suggestions, before.sessions_with_suggestions + 1);
  assert.equal(after.deflected, before.deflected + 1);
  await tech.context.close();
});

test('a known incident is shown before filing and "me too" replaces the ticket', async () => {
  const tech = await technicianApi();
  const title = `Wi-Fi down in building B ${RUN}`;
  const r = await tech.context.request.post(`${BASE}/api/v1/staff/incidents`, {
    data: { title, description: 'Engineers are on site.', category: 'network' },
  });
  assert.equal(r.status(), 201);
  const page = await newPage(browser);
  await open(page, `/tickets/new?category=network&subject=${encodeURIComponent('No Wi-Fi in building B')}`);
  await page.locator('#ticket-form').waitFor();
  const panel = page.locator('.already-reported');
  await panel.getByText(title).waitFor();
  await panel.getByRole('button', { name: 'This affects me too' }).click();
  await panel.getByText('Enter your name and email address above first').waitFor();
  await fillRequester(page);
  await panel.getByRole('button', { name: 'This affects me too' }).click();
  await page.getByText('Thank you — you are on the list').waitFor();
  await shot(page, 'ticket-already-reported');
  const incidents = await (await tech.context.request.get(`${BASE}/api/v1/staff/incidents`)).json();
  assert.equal(incidents.incidents.find((i) => i.title === title).affected, 1);
  await page.getByRole('button', { name: 'Discard this ticket' }).click();
  await page.waitForURL('**/tickets');
  await open(page, '/tickets/new');
  await page.locator('#ticket-form').waitFor();
  assert.equal(await page.getByLabel('Subject').inputValue(), '', 'the draft was discarded');
  assert.equal(await page.getByLabel('Your name').inputValue(), 'Ada Lovelace', 'name and email are remembered');
  await tech.context.close();
});

test('My tickets, the form and a ticket are separate apps, and links between them load the right one', async () => {
  const page = await newPage(browser);
  const app = () => page.locator('script[type="module"]').first().evaluate((s) => s.textContent.match(/\/([a-z-]+-app)\//)?.[1]);
  await open(page, '/tickets/SD-1999-000001');
  assert.equal(await app(), 'tracking-app', "a ticket's page");
  await open(page, '/tickets/sign-in');
  assert.equal(await app(), 'my-tickets-app', 'signing in');
  await open(page, '/tickets');
  assert.equal(await app(), 'my-tickets-app', 'My tickets');
  // "new" is the form, never read as a ticket's number.
  await page.locator('main').getByRole('link', { name: 'Contact IT' }).click();
  await page.waitForURL('**/tickets/new');
  await page.locator('#ticket-form').waitFor();
  assert.equal(await app(), 'filing-app', 'the form');
  await page.close();
});
