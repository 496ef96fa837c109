// Search that forgives, in the browser: a misspelt word still finds its article as you
// type; words that find nothing offer a better spelling, which the keyboard can take;
// a result in another language says so; and technicians see what people searched for
// in vain, start its article from there, and teach search synonyms — told what is
// wrong in the language they chose.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, accessibilityProblems, launch, newPage, open, scrollsSideways, shot, signIn,
} from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PRINTER = '/kb/printer-not-printing-from-laptop';
const PASSWORD = '/kb/forgot-password-account-locked';
// Each run gets its own words: the server may be shared with earlier runs.
const RUN = Date.now().toString(36);
// Words of English that French does not use as words (see languages.test.mjs).
const ENGLISH = /\b(the|must|characters?|enter|choose|required|least|most|please|invalid|field|give|write|should|cannot|already|exist|word|group|use)\b/i;

async function technician(email, options) {
  const page = await newPage(browser, options);
  await signIn(page, email);
  await page.waitForURL('**/staff');
  return page;
}

async function searchApi(q, lang = 'en') {
  const res = await fetch(`${BASE}/api/v1/kb/search?q=${encodeURIComponent(q)}&lang=${lang}&limit=8`);
  assert.equal(res.status, 200, `search for ${q}`);
  return res.json();
}

/// Waits until the element `selector` has the focus (moved there after the view updates).
async function focusOn(page, selector) {
  await page.waitForFunction((s) => document.activeElement?.matches(s), selector, { timeout: 5000 });
}

/// Narrow and dark, then wide and light again: the two screenshots every new page gets.
async function shots(page, name) {
  await shot(page, `${name}-1280-light`);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, `${name}-390-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 320, height: 700 });
  assert.equal(await scrollsSideways(page), false, `${name} scrolls sideways at 320 px`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('a misspelt word finds the right article as you type', async () => {
  const page = await newPage(browser);
  await open(page, '/');
  const box = page.getByRole('combobox', { name: 'Describe your problem' });
  for (const [typo, article] of [['prnter', PRINTER], ['pasword', PASSWORD]]) {
    await box.fill('');
    await box.pressSequentially(typo, { delay: 40 });
    await page.locator(`.search-results a[href="${article}"]`).waitFor();
  }
  await shot(page, 'search-misspelt');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

// Queries the correction should rescue; the first the server answers with no article
// and a better spelling that finds some is the one typed (the engine decides which).
const RESCUABLE = [
  'prnter jamm', 'pritner', 'pasword resett', 'blak screan', 'monitr', 'micrfone', 'vpm',
  'wifii', 'phissing', 'dsik space', 'emial', 'scren', 'keybord',
];

test('words that find nothing offer a better spelling, which the keyboard can take', async () => {
  let query;
  let better;
  for (const q of RESCUABLE) {
    const found = await searchApi(q);
    if (found.hits.length === 0 && found.suggestion?.hits > 0) {
      query = q;
      better = found.suggestion.query;
      break;
    }
  }
  assert.ok(query, `none of ${RESCUABLE.join(', ')} finds nothing with a better spelling that finds articles`);

  const page = await newPage(browser);
  await open(page, '/');
  const box = page.getByRole('combobox', { name: 'Describe your problem' });
  await box.fill(query);
  const offer = page.locator('.search-suggestion');
  await offer.waitFor();
  assert.equal((await offer.innerText()).trim(), `Did you mean ${better}?`);
  // Screen readers hear it with the count.
  await page.locator('[role="status"]', { hasText: `Did you mean ${better}?` }).waitFor();
  assert.deepEqual(await accessibilityProblems(page), []);
  await shots(page, 'search-did-you-mean');

  // Keyboard only: the offer is next after the box, and takes the better spelling.
  await box.focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), better);
  const searched = page.waitForRequest((r) => r.url().includes(`q=${encodeURIComponent(better)}&`));
  await page.keyboard.press('Enter');
  await searched;
  await page.locator('.search-results a[href^="/kb/"]').first().waitFor();
  assert.equal(await box.inputValue(), better);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'home-search');
  // And on to an article: the first after the guided diagnostics, which come first.
  const flows = await page.locator('.search-results li.hit-flow').count();
  for (let i = 0; i <= flows; i += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.locator('article.article h1').waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the same offer speaks French on a French page', async () => {
  const page = await newPage(browser, { locale: 'fr-FR' });
  await open(page, '/kb');
  const found = await searchApi('imprimnte', 'fr');
  if (!found.suggestion) return; // French has no such correction in this engine
  await page.locator('#kb-search').fill('imprimnte');
  await page.locator('.search-suggestion', { hasText: `Vouliez-vous dire ${found.suggestion.query} ?` }).waitFor();
  await shot(page, 'search-did-you-mean-fr');
  await page.context().close();
});

test('a result found in English on a Russian page says so', async () => {
  const page = await newPage(browser, { locale: 'ru-RU' });
  await open(page, '/kb');
  // This article is written in English only.
  await page.locator('#kb-search').fill('disk space');
  const hit = page.locator('.search-results a[href="/kb/low-disk-space"]');
  await hit.waitFor();
  assert.equal((await hit.locator('.hit-lang').innerText()).trim(), 'На английском');
  assert.equal(await hit.locator('.hit-title').getAttribute('lang'), 'en');
  await shot(page, 'search-english-result-ru');
  // A Russian result is neither labelled nor marked.
  await page.locator('#kb-search').fill('принтер');
  const russian = page.locator(`.search-results a[href="${PRINTER}"]`);
  await russian.waitFor();
  assert.equal(await russian.locator('.hit-lang').count(), 0);
  assert.equal(await russian.locator('.hit-title').getAttribute('lang'), null);
  await page.context().close();
});

test('a search that found nothing reaches the technicians, who start its article', async () => {
  const query = `zqxv${RUN}`;
  const page = await newPage(browser);
  // Chromium does not show a beacon's Blob body to Playwright: keep a copy of what
  // the page hands to sendBeacon, which still sends it to the server as usual.
  await page.addInitScript(() => {
    window.__beacons = [];
    const send = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = (url, data) => {
      if (data instanceof Blob) data.text().then((text) => window.__beacons.push({ url, text }));
      return send(url, data);
    };
  });
  await open(page, '/');
  await page.locator('#home-search').fill(query);
  await page.locator('.search-empty').waitFor();
  // Reported once it has settled (2 s without typing), sent as the page is hidden.
  const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/kb/searches'));
  await page.waitForTimeout(2500);
  await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
  await sent;
  const beacon = await page.waitForFunction(
    () => window.__beacons.find((b) => b.url.endsWith('/api/v1/kb/searches')),
  );
  const reports = JSON.parse((await beacon.jsonValue()).text);
  assert.equal(reports.length, 1);
  assert.equal(reports[0].query, query);
  assert.equal(reports[0].hits, 0);
  assert.equal(reports[0].lang, 'en');
  assert.match(reports[0].id, /^[A-Za-z0-9-]{16,100}$/);
  assert.match(reports[0].session, /^[A-Za-z0-9-]{16,100}$/);
  assert.equal(reports[0].opened ?? null, null);
  await page.context().close();

  const tech = await technician('tier1@demo.selfdesk');
  await open(tech, '/staff/search?days=7&lang=en');
  assert.equal(await tech.locator('#gaps-days').inputValue(), '7');
  assert.equal(await tech.locator('#gaps-lang').inputValue(), 'en');
  const row = tech.locator('section', { has: tech.locator('#gaps-none-title') })
    .getByRole('row').filter({ has: tech.getByRole('rowheader', { name: query, exact: true }) });
  // The report may land a moment after the beacon.
  for (let tries = 0; !(await row.count()) && tries < 20; tries += 1) {
    await tech.waitForTimeout(500);
    await tech.reload();
    await tech.locator('#gaps-none-title').waitFor();
  }
  await row.waitFor();
  assert.deepEqual(await accessibilityProblems(tech), []);
  await shots(tech, 'search-gaps');
  // The period and the language are kept in the address.
  await tech.locator('#gaps-days').selectOption('30');
  await tech.waitForURL('**/staff/search?days=30&lang=en');
  await row.waitFor();

  await row.getByRole('link', { name: `Write an article about “${query}”` }).click();
  await tech.waitForURL('**/staff/kb/new?**');
  assert.equal(await tech.locator('#article-title').inputValue(), query);
  assert.equal(await tech.locator('#article-lang').inputValue(), 'en');
  assert.equal(await tech.locator('#article-slug').inputValue(), query);

  // Another language's reader sees the page in theirs.
  await tech.locator('#language-select').selectOption('fr');
  await open(tech, '/staff/search?days=7');
  await tech.getByRole('heading', { level: 1, name: 'Recherches sans réponse' }).waitFor();
  await tech.locator('#gaps-none-title').waitFor();
  await shot(tech, 'search-gaps-fr');
  assert.deepEqual(tech.errors, []);
  await tech.context().close();
});

test('a technician adds, edits and deletes a synonym group, told what is wrong in French', async () => {
  const page = await technician('tier3@demo.selfdesk');
  await open(page, '/staff/search/synonyms');
  const [wifi, wlan, hyphen] = [`zq${RUN}wifi`, `zq${RUN}wlan`, `zq${RUN}wi-fi`];
  const english = page.locator('section', { has: page.locator('#synonyms-en') });
  await page.locator('#synonym-lang').selectOption('en');
  // Upper case and blanks are the server's to tidy: the words are stored lower-case.
  await page.locator('#synonym-words').fill(` ${wifi},  ${wlan.toUpperCase()} ,`);
  await page.getByRole('button', { name: 'Add group' }).click();
  await page.getByRole('status').filter({ hasText: 'The group was saved.' }).waitFor();
  const row = english.getByRole('row').filter({ hasText: `${wifi}, ${wlan}` });
  await row.waitFor();
  assert.equal(await page.locator('#synonym-words').inputValue(), '');
  assert.deepEqual(await accessibilityProblems(page), []);
  await shots(page, 'synonyms');

  // Edit: the words come back into the box, which takes the focus.
  await row.getByRole('button', { name: `Edit “${wifi}, ${wlan}”` }).click();
  await page.getByRole('heading', { name: 'Edit group' }).waitFor();
  assert.equal(await page.locator('#synonym-words').inputValue(), `${wifi}, ${wlan}`);
  await focusOn(page, '#synonym-words');
  await page.locator('#synonym-words').press('End');
  await page.keyboard.type(`, ${hyphen}`);
  await page.getByRole('button', { name: 'Save group' }).click();
  const edited = english.getByRole('row').filter({ hasText: `${wifi}, ${wlan}, ${hyphen}` });
  await edited.waitFor();

  // In French: a phrase is refused before sending, a word of another group by the
  // server; each is named under the field, in French, and the text typed stays.
  await page.locator('#language-select').selectOption('fr');
  await page.getByRole('heading', { level: 1, name: 'Synonymes' }).waitFor();
  await page.locator('#synonym-lang').selectOption('en');
  await page.locator('#synonym-words').fill(`sans fil, zq${RUN}wireless`);
  await page.getByRole('button', { name: 'Ajouter le groupe' }).click();
  const message = page.locator('#synonym-words-error');
  await message.waitFor();
  assert.match(await message.innerText(), /^« sans fil » : Un seul mot/);
  await page.locator('.error-summary').waitFor();
  await focusOn(page, '.error-summary');

  const typed = `zq${RUN}wireless, ${wifi}`;
  await page.locator('#synonym-words').fill(typed);
  await page.getByRole('button', { name: 'Ajouter le groupe' }).click();
  await message.filter({ hasText: `« ${wifi} » : Ce mot est dans un autre groupe` }).waitFor();
  assert.equal(await page.locator('#synonym-words').inputValue(), typed);
  assert.equal(await page.locator('#synonym-words').getAttribute('aria-invalid'), 'true');
  for (const text of await page.locator('.error-summary li, .error-message').allInnerTexts()) {
    assert.doesNotMatch(text.replaceAll(/« [^»]* »/g, ''), ENGLISH, text);
  }
  await shot(page, 'synonyms-errors-fr');

  // Delete asks first; "Oui, supprimer" has the focus, and Enter deletes.
  await edited.getByRole('button', { name: `Supprimer « ${wifi}, ${wlan}, ${hyphen} »` }).click();
  await edited.getByText(`Supprimer le groupe « ${wifi}, ${wlan}, ${hyphen} » ?`).waitFor();
  await focusOn(page, `#${await edited.getByRole('button', { name: 'Oui, supprimer' }).getAttribute('id')}`);
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'Le groupe a été supprimé.' }).waitFor();
  await edited.waitFor({ state: 'detached' });
  await focusOn(page, '#synonyms-en');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('tier 1 and 2 read synonyms and are told why they cannot change them', async () => {
  const page = await technician('tier2@demo.selfdesk');
  await open(page, '/staff/search/synonyms');
  await page.locator('#synonyms-en').waitFor();
  await page.getByText('Only tier 3 technicians and administrators change synonyms').waitFor();
  assert.equal(await page.locator('form.synonym-form').count(), 0);
  assert.equal(await page.getByRole('button', { name: /^(Edit|Delete) / }).count(), 0);
  assert.deepEqual(await accessibilityProblems(page), []);
  await page.context().close();
});
