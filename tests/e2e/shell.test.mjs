// The app shell: renders as a product, switches and remembers language, has a real
// 404, works with the keyboard, and shows a retry when a request fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, open, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('home page renders the four ways to get help', async () => {
  const page = await newPage(browser);
  await open(page, '/');
  await page.getByRole('heading', { level: 1, name: 'How can we help?' }).waitFor();
  for (const name of ['Find an answer', 'Diagnose a problem', 'Contact IT', 'Track a ticket']) {
    assert.equal(await page.getByRole('link', { name: new RegExp(name) }).count() >= 1, true, name);
  }
  assert.equal(await page.title(), 'Selfdesk');
  await shot(page, 'home-light');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('dark theme follows the system setting', async () => {
  const page = await newPage(browser, { colorScheme: 'dark' });
  await open(page, '/');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(17, 20, 24)');
  await shot(page, 'home-dark');
  await page.context().close();
});

test('narrow screens (320 px) do not scroll sideways, in any language', async () => {
  for (const locale of ['en-US', 'ru-RU', 'fr-FR', 'nb-NO']) {
    const page = await newPage(browser, { viewport: { width: 320, height: 640 }, locale });
    await open(page, '/');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${locale}: page is ${overflow}px wider than the screen`);
    if (locale === 'en-US') await shot(page, 'home-320');
    await page.context().close();
  }
});

test('language follows the browser, can be switched, and persists', async () => {
  const page = await newPage(browser, { locale: 'fr-FR' });
  await open(page, '/');
  await page.getByRole('heading', { level: 1, name: 'Comment pouvons-nous vous aider ?' }).waitFor();

  await page.getByLabel('Langue').selectOption('ru');
  await page.getByRole('heading', { level: 1, name: 'Чем мы можем помочь?' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'ru');
  await shot(page, 'home-ru');

  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Чем мы можем помочь?' }).waitFor();

  await page.getByLabel('Язык').selectOption('nb');
  await page.getByRole('heading', { level: 1, name: 'Hva kan vi hjelpe deg med?' }).waitFor();
  await page.context().close();
});

test('an unknown address shows a real 404 page', async () => {
  const page = await newPage(browser);
  await open(page, '/no/such/page');
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  await page.getByRole('link', { name: 'Go to the home page' }).click();
  await page.getByRole('heading', { level: 1, name: 'How can we help?' }).waitFor();
  await open(page, '/no/such/page');
  await shot(page, 'not-found');
  await page.context().close();
});

test('keyboard: the first Tab reaches the skip link, Enter follows navigation', async () => {
  const page = await newPage(browser);
  await open(page, '/');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to main content');
  const nav = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Help articles' });
  await nav.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Help articles' }).waitFor();
  assert.equal(await nav.getAttribute('aria-current'), 'page');
  await page.context().close();
});
