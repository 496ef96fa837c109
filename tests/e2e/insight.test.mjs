// Insight in the browser, against the demo portal's 90 days of history: an admin
// finds it from the staff area, sees charts (accessible SVG) with their numbers in
// tables, moves between periods (kept in the address), is told in the page's language
// what is wrong with a reversed range without losing it, reads the page in French with
// no English left, and downloads a table as CSV whose rows are the rows on screen. A
// first-line technician sees only their own row among the people, beside the team's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  accessibilityProblems, launch, newPage, open, scrollsSideways, shot, signIn,
} from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Words of English that French does not use as words (see languages.test.mjs).
const ENGLISH = /\b(the|and|of|per|tickets? (created|resolved)|created|resolved|open|period|download|last|days|speed|quality|people|tiers?|self-service|write|searches|rating|median|within|missed|before|after|share|no comparison|up|down)\b/i;

/// Waits until the address is `path` (with its query): a glob would read `?` as a
/// wildcard.
function at(page, path) {
  return page.waitForURL((url) => url.pathname + url.search === path);
}

async function staffPage(email, options) {
  const page = await newPage(browser, options);
  await signIn(page, email);
  await page.waitForURL('**/staff');
  return page;
}

/// Waits until the trend's table has a row for each of `days` days (the figures of
/// the period just chosen have arrived).
function rowsOfTrend(page, days) {
  return page.waitForFunction((n) => document.querySelectorAll('#trend-table tbody tr').length === n, days);
}

/// Waits for the figures of the period in the address to be on screen.
async function loaded(page) {
  await page.locator('#overview').waitFor();
  await page.locator('#flows').waitFor();
}

/// The rows of a table as its cells' text, header first; without the column the CSV
/// leaves out (a "write an article" link, a sparkline).
async function rowsOnScreen(page, id) {
  return page.locator(`#${id} table`).evaluate((table) => [...table.rows].map((row) => [...row.cells]
    .filter((cell) => !cell.classList.contains('extra'))
    .map((cell) => cell.innerText.trim())));
}

/// RFC 4180, as the page writes it: CRLF, quoted fields with doubled quotes; a cell
/// defused with a leading ' (it began with = + - @) is read back without it.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell); rows.push(row); row = []; cell = ''; i += 1;
    } else cell += c;
  }
  return rows.map((r) => r.map((v) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v)));
}

async function downloadCsv(page, id) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`#${id} .csv-button`).click(),
  ]);
  assert.match(download.suggestedFilename(), /^insight-.+\.csv$/);
  const text = readFileSync(await download.path(), 'utf8');
  assert.ok(text.startsWith('\ufeff'), 'a byte-order mark for spreadsheets');
  return parseCsv(text.slice(1));
}

/// The page's own words (headings, labels, buttons, captions, hints, chart titles),
/// not the data (categories, article titles and searches keep their own language).
async function chromeTexts(page) {
  return page.locator('main').evaluate((main) => [
    ...main.querySelectorAll('h1, h2, h3, .lead, .hint, label, button, summary, dt, thead th, tfoot th, figcaption, .legend li, .empty, .chip, .section-links a, .period-summary, .change .visually-hidden, svg title, svg desc, .definition-list dd'),
  ].map((el) => el.textContent.trim()).filter(Boolean));
}

test('a signed-out visitor is sent to sign in and back to Insight', async () => {
  const page = await newPage(browser);
  await open(page, '/staff/insight?days=7');
  await at(page, '/staff/sign-in?next=%2Fstaff%2Finsight');
  await page.getByLabel('Email address').fill('admin@demo.selfdesk');
  await page.getByLabel('Password').fill('selfdesk-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/staff/insight');
  await loaded(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an admin reads Insight: charts, tables, periods, CSV and two languages', async () => {
  const page = await staffPage('admin@demo.selfdesk');
  await page.getByRole('link', { name: 'Insight' }).click();
  await page.waitForURL('**/staff/insight');
  await loaded(page);
  assert.equal(await page.title(), 'Insight — Selfdesk');

  // Thirty days by default; the trend is a chart with a title, a description and
  // its numbers in a table, one row a day.
  await assert.doesNotReject(page.locator('.chip[aria-current="page"]', { hasText: 'Last 30 days' }).waitFor());
  const trend = page.locator('svg.chart-svg[aria-labelledby="trend-chart-title"]');
  await trend.waitFor();
  assert.equal(await trend.getAttribute('role'), 'img');
  assert.equal(await trend.locator('title').textContent(), 'Tickets per day');
  assert.match(await trend.locator('desc').textContent(), /from .+ to .+/);
  assert.equal(await page.locator('#trend-table tbody tr').count(), 30);
  assert.ok(await page.locator('#category-table tbody tr').count() > 0, 'tickets by category');
  assert.ok(await page.locator('#category-table svg.chart-svg[role="img"]').count() > 0, 'sparklines');
  assert.ok(await page.locator('.figure').count() >= 20, 'headline figures');
  // Every headline figure says how it moved, in words too.
  const change = page.locator('section[aria-labelledby="overview"] .figure .change').first();
  assert.match(await change.innerText(), /(▲|▼|=|No comparison)/);
  assert.equal(await page.locator('.data-table').count(), await page.locator('.data-table .csv-button').count()
    + await page.locator('.data-table .empty').count(), 'every table with rows can be downloaded');
  assert.deepEqual(await accessibilityProblems(page), []);

  // The trend's CSV is the table on screen, row for row.
  await page.locator('.chart-numbers summary').first().click();
  const trendRows = await rowsOnScreen(page, 'trend-table');
  assert.equal(trendRows.length, 31);
  assert.deepEqual(await downloadCsv(page, 'trend-table'), trendRows);
  // And so is the technicians' table, the team's row included.
  const people = await rowsOnScreen(page, 'technician-table');
  assert.match(people.at(-1)[0], /^Team/);
  assert.deepEqual(await downloadCsv(page, 'technician-table'), people);

  // Every figure is defined in words at the foot of the page, linked from the lead.
  await page.locator('.lead').getByRole('link', { name: 'What each number means' }).click();
  await page.waitForURL('**/staff/insight#definitions');
  const definitions = page.locator('section#definitions');
  assert.ok(await definitions.getByRole('heading', { level: 2, name: 'What each number means' }).isVisible());
  assert.equal(await definitions.locator('h3').count(), 6, 'one part per section of the page');
  assert.match(
    await definitions.locator('dt', { hasText: 'Repeat contacts' }).locator('xpath=following-sibling::dd[1]').innerText(),
    /same category in the 7 days before/,
  );
  assert.equal(await definitions.locator('dt').count(), await definitions.locator('dd').count());

  await shot(page, 'insight-1280-light');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await loaded(page);
  await shot(page, 'insight-390-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await shot(page, 'insight-390-light');
  await page.setViewportSize({ width: 320, height: 700 });
  assert.equal(await scrollsSideways(page), false, 'Insight scrolls sideways at 320 px');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.reload();
  await loaded(page);
  await shot(page, 'insight-1280-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Seven days, then ninety: links that change the address; Back returns.
  await page.getByRole('link', { name: 'Last 7 days' }).click();
  await at(page, '/staff/insight?days=7');
  await rowsOfTrend(page, 7);
  await page.getByRole('link', { name: 'Last 90 days' }).click();
  await at(page, '/staff/insight?days=90');
  await rowsOfTrend(page, 90);
  await page.goBack();
  await at(page, '/staff/insight?days=7');
  await rowsOfTrend(page, 7);

  // A custom range: its own address, and the same figures after a reload.
  const to = await page.locator('#insight-to').inputValue();
  const from = await page.locator('#insight-from').inputValue();
  const custom = (days) => new Date(Date.parse(`${to}T12:00:00Z`) - days * 86400000).toISOString().slice(0, 10);
  await page.locator('#insight-from').fill(custom(13));
  await page.getByRole('button', { name: 'Show this period' }).click();
  await at(page, `/staff/insight?from=${custom(13)}&to=${to}`);
  await rowsOfTrend(page, 14);
  await page.reload();
  await loaded(page);
  assert.equal(await page.locator('#insight-from').inputValue(), custom(13));
  assert.equal(await page.locator('#trend-table tbody tr').count(), 14);
  assert.ok(from, 'the form showed the period');

  // A reversed range is refused under its field, and what was typed stays.
  const address = page.url();
  await page.locator('#insight-from').fill(to);
  await page.locator('#insight-to').fill(custom(5));
  await page.getByRole('button', { name: 'Show this period' }).click();
  const message = page.locator('#insight-to-error');
  await message.waitFor();
  assert.equal(await message.innerText(), 'The last day must be the same as or after the first day.');
  assert.equal(await page.locator('#insight-to').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#insight-from').inputValue(), to);
  assert.equal(await page.locator('#insight-to').inputValue(), custom(5));
  assert.equal(page.url(), address);

  // In French: the same refusal in French, and no English left on the page.
  await page.locator('#language-select').selectOption('fr');
  await page.getByRole('heading', { level: 1, name: 'Statistiques' }).waitFor();
  await page.getByRole('button', { name: 'Afficher cette période' }).click();
  await page.locator('#insight-to-error', { hasText: 'Le dernier jour doit être le même que le premier ou venir après.' }).waitFor();
  assert.equal(await page.locator('#insight-from').inputValue(), to);
  await page.getByRole('link', { name: '30 derniers jours' }).click();
  await at(page, '/staff/insight?days=30');
  await loaded(page);
  await page.locator('svg.chart-svg title', { hasText: 'Tickets par jour' }).waitFor({ state: 'attached' });
  assert.equal(await page.title(), 'Statistiques — Selfdesk');
  for (const text of await chromeTexts(page)) {
    assert.doesNotMatch(text, ENGLISH, `English on the French page: "${text}"`);
  }
  assert.deepEqual(await accessibilityProblems(page), []);
  await shot(page, 'insight-fr-1280-light');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'insight-fr-390-light');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.locator('.chart-numbers summary').first().click();
  assert.deepEqual(await downloadCsv(page, 'trend-table'), await rowsOnScreen(page, 'trend-table'));
  await page.locator('#language-select').selectOption('en');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a first-line technician sees their own row and the team\'s', async () => {
  const page = await staffPage('tier1@demo.selfdesk');
  await open(page, '/staff/insight?days=90');
  await loaded(page);
  await page.getByText('You see your own figures; the team row counts everyone.').waitFor();
  const names = await page.locator('#technician-table tbody th').allInnerTexts();
  assert.ok(names.every((name) => name === 'Tina First-Line'), `only their own row: ${names}`);
  const team = await page.locator('#technician-table tfoot th').innerText();
  assert.match(team, /^Team \(\d+ technicians\)$/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the flow editor links to the flows in Insight', async () => {
  const page = await staffPage('admin@demo.selfdesk');
  await open(page, '/staff/flows');
  await page.locator('table a[href^="/staff/flows/"]').first().click();
  await page.getByRole('link', { name: /Insight$/ }).click();
  await page.waitForURL('**/staff/insight#flows');
  await loaded(page);
  await page.waitForFunction(() => {
    const top = document.getElementById('flows').getBoundingClientRect().top;
    return top >= 0 && top < window.innerHeight;
  });
  await shot(page, 'insight-flows-anchor');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
