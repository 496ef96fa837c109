// The knowledge base in the browser: reading, searching, voting, and a technician
// publishing an article — including one written to attack readers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { accessibilityProblems, launch, newPage, open, shot, signIn } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PRINTER = '/kb/printer-not-printing-from-laptop';
// Each run gets its own article: the server may be shared with earlier runs.
const RUN = Date.now().toString(36);

async function technician() {
  const page = await newPage(browser);
  await signIn(page, 'tier1@demo.selfdesk');
  await page.waitForURL('**/staff');
  return page;
}

async function startArticle(page, title) {
  await open(page, '/staff/kb/new');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Address (slug)').fill(`e2e-${RUN}-${title.length}`);
  await page.getByLabel('Category').selectOption('printing');
  await page.getByRole('button', { name: 'Create draft' }).click();
  await page.locator('#edit-body').waitFor();
  return new URL(page.url()).pathname.split('/').pop();
}

test('a hostile article is published and shown without running or linking anything', async () => {
  const page = await technician();
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  const slug = await startArticle(page, 'Paper jam <script>alert(1)</script>');
  await page.getByLabel('Summary').fill('Clearing a paper jam.');
  await page.locator('#edit-body').fill([
    '## Clear the jam', '', '1. Open the tray.', '2. Pull the paper out slowly.', '',
    '<script>window.pwned = 1; alert(1)</script>', '',
    '<img src="x" onerror="window.pwned = 2; alert(2)">', '',
    '![also bad](javascript:alert(3))', '',
    '[click me](javascript:window.pwned=3)', '[and me](JaVaScRiPt:alert(4))', '',
    '> [!WARNING]', '> Switch the printer off first.',
  ].join('\n'));
  // The preview uses the same renderer as readers get.
  await page.locator('.preview .callout-warning').waitFor();
  assert.equal(await page.locator('.preview script, .preview [onerror]').count(), 0);
  await shot(page, 'kb-editor');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('is published').waitFor();

  const reader = await newPage(browser);
  reader.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await open(reader, `/kb/${slug}`);
  await reader.locator('.prose .callout-warning').waitFor();
  const prose = reader.locator('.prose');
  assert.equal(await prose.locator('script').count(), 0);
  assert.equal(await prose.locator('[onerror]').count(), 0);
  assert.equal(await reader.locator('a[href^="javascript" i], img[src^="javascript" i]').count(), 0);
  assert.match(await prose.innerText(), /<script>window\.pwned = 1; alert\(1\)<\/script>/, 'raw HTML shows as text');
  await reader.waitForTimeout(300);
  assert.equal(await reader.evaluate(() => window.pwned), undefined);
  assert.equal(dialogs, 0);
  assert.deepEqual(reader.errors, []);
  await shot(reader, 'kb-hostile-article');
  await page.context().close();
  await reader.context().close();
});

test('a link within the app opens its page in place, once; a link to another app loads it', async () => {
  const page = await newPage(browser);
  await open(page, PRINTER);
  const related = page.locator('.related a').first();
  await related.waitFor();
  const next = new URL(await related.evaluate((a) => a.href)).pathname;
  const slug = next.split('/').pop();
  const reads = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === `/api/v1/kb/articles/${slug}`) reads.push(r.url());
  });
  // Set on this document: a page load would lose it.
  await page.evaluate(() => { window.sameDocument = true; });
  await related.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname === next);
  const heading = page.locator('article.article h1');
  await heading.waitFor();
  assert.equal(await page.evaluate(() => window.sameDocument), true, 'followed without a page load');
  // The article left does not read the next one too (it would count it read twice).
  await page.waitForTimeout(500);
  assert.equal(reads.length, 1, reads.join(', '));
  // Focus is on the new page's heading, as after a page load.
  assert.equal(await heading.evaluate((h) => h === document.activeElement), true);

  // Back: the first article again, still in place.
  await page.goBack();
  await page.waitForURL((url) => url.pathname === PRINTER);
  await page.locator('.related a').first().waitFor();
  assert.equal(await page.evaluate(() => window.sameDocument), true);

  // A search result followed from a category's page: the search box, drawn once the
  // category has loaded, loses the focus as its page goes, and that is no error.
  await open(page, '/kb/category/network');
  await page.evaluate(() => { window.sameDocument = true; });
  await page.locator('#category-search').fill('wifi');
  const hit = page.locator('.search-results a[href^="/kb/"]').first();
  await hit.waitFor();
  await hit.focus();
  await page.keyboard.press('Enter');
  await heading.waitFor();
  assert.equal(await page.evaluate(() => window.sameDocument), true);
  assert.deepEqual(page.errors, []);

  // The ticket form is another app: loaded as a page.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contact IT' }).click();
  await page.locator('#ticket-form').waitFor();
  assert.equal(await page.evaluate(() => window.sameDocument), undefined, 'the form app was loaded');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('search finds inflected forms in each of the four languages', async () => {
  for (const [locale, query] of [['en-GB', 'printers'], ['ru-RU', 'принтера'], ['fr-FR', 'imprimantes'], ['nb-NO', 'skriveren']]) {
    const page = await newPage(browser, { locale });
    await open(page, '/');
    await page.locator('#home-search').fill(query);
    const hit = page.locator(`.search-results a[href="${PRINTER}"]`);
    await hit.waitFor();
    assert.ok(await page.locator('.search-results mark').count() > 0, `${locale}: highlighted`);
    if (locale === 'en-GB') await shot(page, 'kb-search-dropdown');
    if (locale === 'fr-FR') await shot(page, 'kb-search-dropdown-fr');
    await page.context().close();
  }
});

test('the keyboard walks search results, and no results offers other ways', async () => {
  const page = await newPage(browser);
  await open(page, '/kb');
  const box = page.getByRole('combobox', { name: 'Search the help articles' });
  await box.fill('wifi intern');
  await page.locator('.search-results li').first().waitFor();
  await box.press('ArrowDown');
  assert.equal(await page.locator('.search-results a[aria-selected="true"]').count(), 1);
  assert.ok(await box.getAttribute('aria-activedescendant'));
  // Options hold nothing interactive: each result's link is the option itself.
  assert.deepEqual(await accessibilityProblems(page), []);
  await box.press('Enter');
  await page.locator('article.article h1').waitFor();
  assert.match(page.url(), /\/kb\/wifi-connected-no-internet$/);
  await page.locator('.prose').waitFor();
  await shot(page, 'kb-article');

  await open(page, '/kb');
  await box.fill('qwxzvb');
  await page.getByText('No article matches “qwxzvb”.').waitFor();
  assert.ok(await page.locator('.search-empty a[href="/diagnose"]').count() === 1);
  assert.ok(await page.locator('.search-empty a[href="/tickets/new"]').count() === 1);
  await page.context().close();
});

test('a reader without a translation gets English with a visible note', async () => {
  const page = await newPage(browser, { locale: 'ru-RU' });
  await open(page, '/kb/low-disk-space');
  await page.locator('.fallback-note').waitFor();
  assert.equal(await page.locator('article.article').getAttribute('lang'), 'en');
  await open(page, PRINTER);
  await page.locator('.prose').waitFor();
  assert.equal(await page.locator('.fallback-note').count(), 0);
  assert.equal(await page.locator('article.article').getAttribute('lang'), 'ru');
  await page.context().close();
});

test('a "No" vote with a reason reaches the technician', async () => {
  const page = await technician();
  const slug = await startArticle(page, 'Toner streaks on every page');
  await page.getByLabel('Summary').fill('Lines down the page.');
  await page.locator('#edit-body').fill('1. Shake the toner.\n2. Print a cleaning page.');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('is published').waitFor();
  // The staff area and the portal are two apps: this link loads the portal.
  await page.getByRole('link', { name: 'View as a reader' }).click();
  await page.locator('article.article .prose').waitFor();
  assert.match(page.url(), new RegExp(`/kb/${slug}\\?lang=en$`));

  const reader = await newPage(browser);
  await open(reader, `/kb/${slug}`);
  await reader.getByRole('button', { name: 'No' }).click();
  await reader.getByLabel('The steps did not work').check();
  await reader.getByLabel('Tell us more (optional)').fill('Still streaky after cleaning.');
  await reader.getByRole('button', { name: 'Send' }).click();
  await reader.getByText('Thank you for your feedback.').waitFor();
  // The answer is remembered in this browser, and can be changed.
  await reader.reload();
  await reader.getByText('Thank you for your feedback.').waitFor();

  await open(page, '/staff/kb');
  const row = page.locator('tr', { has: page.locator(`a[href="/staff/kb/${slug}"]`) });
  await row.waitFor();
  // Three views (the technician's look as a reader, the reader's visit and reload),
  // no "Yes", one "No".
  assert.equal((await row.locator('td.num').allInnerTexts()).join(' '), '3 0 1');
  await row.getByRole('link').first().click();
  await page.getByText('Still streaky after cleaning.').waitFor();
  await page.locator('.stats').getByText('Not helpful').waitFor();
  assert.match(await page.locator('.plain-list').innerText(), /The steps did not work: 1/);
  await shot(page, 'kb-staff-stats');
  await page.context().close();
  await reader.context().close();
});

test('unsaved edits survive a reload, and history shows and restores revisions', async () => {
  const page = await technician();
  await startArticle(page, 'Scanner saves blank pages');
  const body = page.locator('#edit-body');
  await body.fill('First version of the steps.');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('Saved as revision 2').waitFor();

  await body.fill('First version of the steps.\nA second line, not saved yet.');
  await page.locator('.save-state', { hasText: 'Unsaved changes' }).waitFor();
  await page.reload();
  await page.locator('#edit-body').waitFor();
  await page.getByText('were restored from this browser').waitFor();
  assert.match(await page.locator('#edit-body').inputValue(), /not saved yet/);
  await page.locator('.preview', { hasText: 'A second line, not saved yet.' }).waitFor();

  await page.keyboard.press('Control+s');
  await page.getByText('Saved as revision 3').waitFor();
  await page.locator('#diff-from').selectOption('2');
  await page.locator('#diff-to').selectOption('3');
  await page.getByRole('button', { name: 'Show changes' }).click();
  await page.locator('.diff-added', { hasText: 'A second line, not saved yet.' }).waitFor();
  await shot(page, 'kb-history-diff');

  await page.locator('tr', { hasText: 'Saved by' }).waitFor();
  await page.getByRole('row').filter({ has: page.getByRole('cell', { name: '2', exact: true }) })
    .getByRole('button', { name: 'Restore' }).click();
  await page.getByText('Saved as revision 4').waitFor();
  assert.equal(await page.locator('#edit-body').inputValue(), 'First version of the steps.');
  await page.context().close();
});

test('the editor stacks its preview under the text on a narrow screen', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await signIn(page, 'tier2@demo.selfdesk');
  await page.waitForURL('**/staff');
  await startArticle(page, 'Label printer offline');
  const text = await page.locator('#edit-body').boundingBox();
  const preview = await page.locator('.preview-pane').boundingBox();
  assert.ok(preview.y > text.y + text.height - 1, 'preview below the text');
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
  await shot(page, 'kb-editor-narrow');
  await page.context().close();
});

test('a new article with missing fields is refused field by field, keeping what was typed', async () => {
  const page = await technician();
  await open(page, '/staff/kb/new');
  await page.getByLabel('Address (slug)').fill('Not A Slug!');
  await page.getByRole('button', { name: 'Create draft' }).click();
  // Each field says what it needs under it, and the summary links to it.
  await page.locator('#article-title-error').getByText('Enter a title of at most 200 characters').waitFor();
  await page.locator('#article-slug-error').getByText('Use 3 to 80 lowercase letters').waitFor();
  await page.locator('#article-category-error').getByText('Choose a category.').waitFor();
  await page.locator('.error-summary a[href="#article-slug"]').waitFor();
  assert.equal(await page.getByLabel('Address (slug)').inputValue(), 'Not A Slug!');
  await shot(page, 'kb-new-article-errors');
  await page.context().close();
});

test('an uploaded image lands in the text and the preview; other files are refused', async () => {
  const page = await technician();
  await startArticle(page, 'Where to find the printer name');
  // A real 1×1 PNG.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const input = page.locator('input[type="file"]');
  await input.setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: png });
  await page.locator('.preview img[src^="/api/v1/kb/images/"]').waitFor();
  assert.match(await page.locator('#edit-body').inputValue(), /!\[\]\(\/api\/v1\/kb\/images\/[0-9a-f]{64}\.png\)/);
  // An SVG (it could carry script) is refused by its content, whatever its name.
  await input.setInputFiles({ name: 'trick.png', mimeType: 'image/png', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') });
  await page.getByText('That file is not a PNG, JPEG, GIF or WebP image.').waitFor();
  await page.context().close();
});
