// Every page of the portal and of the staff area, once its data has loaded: axe-core
// finds nothing (WCAG 2.2 A/AA and axe's best practices), the page has exactly one
// `h1`, `<html lang>` is the page's language, and its `<title>` is its own — not empty,
// not another page's, and (in Russian, French and Norwegian) not the English one,
// except where the title is what people wrote (a ticket's subject, an English-only
// article), a number, or the same word in that language.
//
// Requester pages are checked in all four languages and both colour schemes. Staff
// pages in all four languages, each in one scheme (light for English and French, dark
// for Russian and Norwegian) and English in both: their colours are the requester
// pages' own, and a scheme's contrast does not depend on the language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { BASE, DEMO_PASSWORD, accessibilityProblems, launch, newPage } from './helpers.mjs';

const LANGUAGES = { en: 'en-US', ru: 'ru-RU', fr: 'fr-FR', nb: 'nb-NO' };
let browser;
let ticket;
before(async () => {
  browser = await launch();
  // A ticket to show on the tracking page and the staff ticket page.
  const response = await fetch(`${BASE}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Idempotency-Key': `e2e-every-page-${randomUUID()}` },
    body: JSON.stringify({
      name: 'Ada Lovelace', email: 'ada@example.org', category: 'printing', subject: 'The printer on floor 3 prints blank pages',
      description: 'Every page comes out blank since this morning.', impact: 'team', urgency: 'blocked', fields: {}, language: 'en',
    }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  const filed = await response.json();
  ticket = { number: filed.number, link: `/tickets/${filed.number}#access=${encodeURIComponent(filed.access_token)}` };
});
after(async () => { await browser?.close(); });

/// Titles that are rightly the same as in English: the name alone (home), a ticket's
/// number or subject, an article edited in its English original, and "Webhooks", which
/// French uses as it is.
const SAME_AS_ENGLISH = new Set(['home', 'a tracking page', 'a ticket', 'an article’s editor', 'webhooks fr']);

const requesterPages = () => [
  ['home', '/'],
  ['knowledge base', '/kb'],
  ['a category', '/kb/category/network'],
  ['an article', '/kb/wifi-connected-no-internet'],
  ['diagnostics', '/diagnose'],
  ['a flow step', '/diagnose/no-internet'],
  ['the ticket form', '/tickets/new'],
  ['my tickets', '/tickets'],
  ['requester sign-in', '/tickets/sign-in'],
  ['a tracking page', ticket.link],
  ['staff sign-in', '/staff/sign-in'],
];

const staffPages = () => [
  ['staff home', '/staff'],
  ['sign-in security', '/staff/security'],
  ['the queue', '/staff/tickets'],
  ['a ticket', `/staff/tickets/${ticket.number}`],
  ['incidents', '/staff/incidents'],
  ['articles', '/staff/kb'],
  ['a new article', '/staff/kb/new'],
  ['an article’s editor', '/staff/kb/vpn-wont-connect'],
  ['flows', '/staff/flows'],
  ['a flow’s editor', '/staff/flows/no-internet'],
  ['searches that found nothing', '/staff/search'],
  ['synonyms', '/staff/search/synonyms'],
  ['service levels', '/staff/service-levels'],
  ['canned responses', '/staff/canned-responses'],
  ['categories', '/staff/categories'],
  ['the outbox', '/staff/outbox'],
  ['webhooks', '/staff/webhooks'],
  ['mail read', '/staff/mail-in'],
  ['services the reach check tries', '/staff/reach-check'],
  ['insight', '/staff/insight'],
];

/// Opens `path` and waits until the app has drawn the page and nothing says "loading".
async function load(page, path) {
  await page.goto(BASE + path);
  await page.locator('header.site-header').waitFor();
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.loading, [aria-busy="true"]'), null, { timeout: 15000 });
  // The title follows the data (a ticket's subject, an article's title).
  await page.waitForTimeout(150);
}

/// What is wrong with the page now, one line per problem.
async function problemsOf(page, language, englishTitle, sameAsEnglish) {
  const found = [];
  const facts = await page.evaluate(() => ({
    h1: document.querySelectorAll('h1').length,
    lang: document.documentElement.lang,
    title: document.title,
  }));
  if (facts.h1 !== 1) found.push(`${facts.h1} h1 elements`);
  if (facts.lang !== language) found.push(`<html lang="${facts.lang}">`);
  if (!facts.title.trim()) found.push('an empty <title>');
  if (language !== 'en' && facts.title === englishTitle && !sameAsEnglish) found.push(`the English title “${facts.title}”`);
  for (const problem of await accessibilityProblems(page)) found.push(problem);
  return { found, title: facts.title };
}

async function checkPages(pages, language, scheme, { signedIn, englishTitles }) {
  const page = await newPage(browser, { locale: LANGUAGES[language], colorScheme: scheme });
  if (signedIn) {
    // Signed in before any page opens: a sign-in page still checking the session
    // could otherwise find it and go to the staff home while the test goes elsewhere.
    const answer = await page.request.post(`${BASE}/api/v1/auth/sign-in`, {
      headers: { origin: BASE },
      data: { email: 'admin@demo.selfdesk', password: DEMO_PASSWORD },
    });
    assert.equal(answer.status(), 200);
  }
  const failures = [];
  const titles = new Map();
  for (const [name, path] of pages) {
    await load(page, path);
    const same = SAME_AS_ENGLISH.has(name) || SAME_AS_ENGLISH.has(`${name} ${language}`);
    const { found, title } = await problemsOf(page, language, englishTitles.get(name), same);
    if (titles.has(title)) found.push(`the same title as ${titles.get(title)}: “${title}”`);
    titles.set(title, name);
    if (language === 'en') englishTitles.set(name, title);
    for (const problem of found) failures.push(`${name} (${path}, ${language}, ${scheme}): ${problem}`);
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
  return failures;
}

test('every requester page, in every language and both schemes', async () => {
  const englishTitles = new Map();
  const failures = [];
  for (const language of Object.keys(LANGUAGES)) {
    for (const scheme of ['light', 'dark']) {
      failures.push(...await checkPages(requesterPages(), language, scheme, { signedIn: false, englishTitles }));
    }
  }
  assert.deepEqual(failures, []);
});

test('every staff page, in every language', async () => {
  const englishTitles = new Map();
  const failures = [];
  const runs = [['en', 'light'], ['en', 'dark'], ['ru', 'dark'], ['fr', 'light'], ['nb', 'dark']];
  for (const [language, scheme] of runs) {
    failures.push(...await checkPages(staffPages(), language, scheme, { signedIn: true, englishTitles }));
  }
  assert.deepEqual(failures, []);
});
