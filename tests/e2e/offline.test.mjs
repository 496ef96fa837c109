// The portal without a network (issue 17): its service worker (public/sw.js) keeps the
// requester apps, every published flow, the articles marked "available offline" and
// the ones a person read. With Playwright's offline mode: the home page, a flow and
// those articles open and work, search falls back to the saved titles and says so,
// and the staff area is never served from the saved copy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, accessibilityProblems, launch, newPage, open, scrollsSideways, shot } from './helpers.mjs';

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
