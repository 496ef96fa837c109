// The portal without a network (issue 17): its service worker (public/sw.js) keeps the
// requester apps, every published flow, the articles marked "available offline" and
// the ones a person read. With Playwright's offline mode: the home page, a flow and
// those articles open and work, search falls back to the saved titles and says so,
// and the staff area is never served from the saved copy. A ticket written offline
// waits in the form's outbox and goes by itself once the browser is online again,
// filed once; a ticket's page opened offline shows its last known state, marked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DEMO_PASSWORD, accessibilityProblems, launch, newPage, open, scrollsSideways, shot, signIn } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PRINTER = '/kb/printer-not-printing-from-laptop';

test('offline, the home page, the flows and the saved articles work, and search says it searched the saved ones', async () => {
  const page = await newPage(browser, { serviceWorkers: 'allow', viewport: { width: 390, height: 844 } });
  await open(page, '/');
  // Installed once it has saved the apps and the offline data.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  // Read online, so kept: an article not on the "available offline" list.
  await open(page, PRINTER);
  await page.locator('article.article h1').waitFor();
  assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null));

  await page.context().setOffline(true);
  try {
    await open(page, '/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    const box = page.getByRole('combobox', { name: 'Describe your problem' });
    await box.pressSequentially('vpn', { delay: 30 });
    await page.locator('.search-results a[href="/kb/vpn-wont-connect"]').waitFor();
    await page.locator('.search-offline').filter({ hasText: 'You are offline' }).waitFor();
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.equal(await scrollsSideways(page), false);
    await shot(page, 'offline-search-390-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'offline-search-390-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await box.fill('');
    await box.pressSequentially('printer', { delay: 30 });
    await page.locator(`.search-results a[href="${PRINTER}"]`).waitFor();

    // Marked "available offline", never opened here.
    await open(page, '/kb/wifi-connected-no-internet');
    await page.locator('article.article h1').waitFor();
    await open(page, PRINTER);
    await page.locator('article.article h1').waitFor();

    // A flow: its check finds the device offline and goes on without a question.
    await open(page, '/diagnose/no-internet');
    await page.locator('#walk-question').filter({ hasText: 'This device is not connected to any network' }).waitFor();
    await shot(page, 'offline-flow-390-light');

    // The staff area is not kept: no stale queue shown as current.
    await assert.rejects(page.goto(`${BASE}/staff/tickets`), /ERR_INTERNET_DISCONNECTED/);
  } finally {
    await page.context().setOffline(false);
  }
  assert.deepEqual(page.errors, []);
});

test('a ticket written offline waits, is sent once the network is back, and its page opens offline as last seen', async () => {
  const page = await newPage(browser, { serviceWorkers: 'allow', viewport: { width: 390, height: 844 } });
  await open(page, '/');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  const keys = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/tickets') {
      keys.push(request.headers()['idempotency-key']);
    }
  });

  const subject = `Offline: the office network is down ${Date.now()}`;
  await page.context().setOffline(true);
  try {
    // Never opened online: the form and its categories come from the worker's copy.
    await open(page, '/tickets/new');
    await page.locator('#ticket-form').waitFor();
    await page.getByLabel('Your name').fill('Grace Hopper');
    await page.getByLabel('Email address').fill('grace@example.org');
    await page.getByLabel('Category').selectOption('network');
    await page.getByLabel('Subject').fill(subject);
    await page.getByLabel('Description').fill('Wi-Fi and cable both fail since this morning.');
    await page.getByLabel('Only me').check();
    await page.getByLabel('It slows my work down').check();
    await page.getByRole('button', { name: 'Send ticket' }).click();

    const waiting = page.locator('.waiting-note');
    await waiting.getByText('Waiting for the network: your ticket will be sent').waitFor();
    assert.ok(await waiting.evaluate((el) => el === document.activeElement), 'the note takes the focus');
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.equal(await scrollsSideways(page), false);
    await shot(page, 'ticket-waiting-390-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'ticket-waiting-390-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    // In French, the note is French (the language lives in the page, no network needed).
    await page.locator('#language-select').selectOption('fr');
    await waiting.getByText('En attente du réseau : votre ticket sera envoyé').waitFor();
    assert.doesNotMatch(await waiting.innerText(), /Waiting|network|Send now/);
    // The form's own words follow the language in place (they did not before), and
    // so do the categories, from the worker's French copy, the choice kept.
    await page.getByText('Moi seulement').waitFor();
    const category = page.locator('#ticket-category');
    await category.locator('option', { hasText: 'Réseau et internet' }).waitFor({ state: 'attached' });
    assert.equal(await category.inputValue(), 'network');
    await shot(page, 'ticket-waiting-390-fr');
    await page.locator('#language-select').selectOption('en');

    // Still waiting after the page is opened again, and "My tickets" says so.
    await open(page, '/tickets');
    await page.getByRole('status').filter({ hasText: 'A ticket is waiting to be sent' })
      .getByRole('link', { name: subject }).waitFor();
    await open(page, '/tickets/new');
    await waiting.waitFor();
    assert.equal(await page.getByLabel('Subject').inputValue(), subject);
  } finally {
    await page.context().setOffline(false);
  }

  // Online again: it goes by itself and its page opens.
  await page.waitForURL(/\/tickets\/SD-/);
  await page.getByText('has been filed').waitFor();
  const number = new URL(page.url()).pathname.split('/').pop();
  assert.ok(keys.length >= 3, `sent once offline, again on reopening, then online: ${keys.length}`);
  assert.equal(new Set(keys).size, 1, 'every attempt carried the same idempotency key');
  // Filed once, as the help desk sees it. (Not from the answers: the form goes to the
  // ticket's page, another app, as the answer arrives, and its body goes with the page.)
  const desk = await browser.newContext({ extraHTTPHeaders: { origin: BASE } });
  assert.equal((await desk.request.post(`${BASE}/api/v1/auth/sign-in`, {
    data: { email: 'admin@demo.selfdesk', password: DEMO_PASSWORD },
  })).status(), 200);
  const newest = await (await desk.request.get(`${BASE}/api/v1/staff/tickets?status=all&sort=newest`)).json();
  assert.deepEqual(newest.tickets.filter((t) => t.subject === subject).map((t) => t.number), [number], 'filed once');
  await desk.close();
  await page.getByRole('heading', { name: subject }).waitFor();

  await page.context().setOffline(true);
  try {
    await open(page, `/tickets/${number}`);
    const note = page.getByRole('status').filter({ hasText: 'You are offline. This is the ticket as it was on' });
    await note.waitFor();
    await page.getByRole('heading', { name: subject }).waitFor();
    assert.deepEqual(await accessibilityProblems(page), []);
    await shot(page, 'ticket-offline-state-390-light');
  } finally {
    await page.context().setOffline(false);
  }
  // Back online, the page reads the ticket again and drops the note.
  await page.getByText('You are offline').waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
});

test('admins and tier-3 technicians tick the articles kept offline; other technicians see the ticks', async () => {
  const saved = async () => (await (await fetch(`${BASE}/api/v1/offline`)).json()).articles;
  const row = (page, slug) => page.locator('tr', { has: page.locator(`a[href="/staff/kb/${slug}"]`) });

  const tier1 = await newPage(browser);
  await signIn(tier1, 'tier1@demo.selfdesk');
  await open(tier1, '/staff/kb');
  const seeded = row(tier1, 'wifi-connected-no-internet').getByRole('checkbox', { name: /^Available offline: / });
  await seeded.waitFor();
  assert.ok(await seeded.isChecked());
  assert.ok(await seeded.isDisabled(), 'only admins and tier-3 technicians change the list');

  const page = await newPage(browser);
  await signIn(page, 'tier3@demo.selfdesk');
  await open(page, '/staff/kb');
  const printer = row(page, PRINTER.slice('/kb/'.length)).getByRole('checkbox', { name: /^Available offline: / });
  await printer.waitFor();
  await page.waitForFunction(() => !document.querySelector('input[type=checkbox][disabled]'));
  assert.ok(!(await printer.isChecked()));
  await printer.check();
  await page.waitForFunction(async (base) => (await (await fetch(`${base}/api/v1/offline`)).json())
    .articles.includes('printer-not-printing-from-laptop'), BASE);
  assert.ok(await printer.isChecked());
  assert.deepEqual(await accessibilityProblems(page), []);
  await shot(page, 'staff-kb-offline');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'staff-kb-offline-dark');

  // Unticked again: the seeded list is what the other tests expect.
  await page.waitForFunction(() => !document.querySelector('input[type=checkbox][disabled]'));
  await printer.uncheck();
  await page.waitForFunction(async (base) => !(await (await fetch(`${base}/api/v1/offline`)).json())
    .articles.includes('printer-not-printing-from-laptop'), BASE);
  assert.ok(!(await saved()).includes('printer-not-printing-from-laptop'));
  assert.deepEqual(page.errors, []);
  assert.deepEqual(tier1.errors, []);
});

test('the portal can be installed: a manifest with icons, served fresh with the worker', async () => {
  const manifest = await (await fetch(`${BASE}/manifest.webmanifest`)).json();
  assert.equal(manifest.start_url, '/');
  assert.equal(manifest.display, 'standalone');
  for (const icon of manifest.icons) {
    const answer = await fetch(`${BASE}${icon.src}`);
    assert.equal(answer.status, 200, icon.src);
  }
  const worker = await fetch(`${BASE}/sw.js`);
  assert.equal(worker.headers.get('cache-control'), 'no-cache');
  const text = await worker.text();
  assert.doesNotMatch(text, /__VERSION__|__FILES__/);
  // The staff apps are never in the offline copy.
  assert.doesNotMatch(text, /staff-app|manage-app|insight-app/);
});
