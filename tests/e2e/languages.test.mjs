// No English on a page in another language, refusals included: every form is sent
// empty or wrong in English, Russian, French and Norwegian, and what it says back
// (the error summary and each field's message) is collected. Each language must say
// something for every form, and nothing a localized page says may be an English
// sentence or contain English words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DEMO_PASSWORD, launch, newPage, open, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const LOCALES = { en: 'en-US', ru: 'ru-RU', fr: 'fr-FR', nb: 'nb-NO' };
// Words of English that none of the other three languages uses as a word.
const ENGLISH = /\b(the|must|characters?|enter|choose|required|least|most|please|invalid|field|give|write|should|cannot|already|exist|email address|password|title)\b/i;

/// The refusal texts a page shows now: the summary's lines and each field's message.
async function said(page) {
  await page.locator('.error-summary li, .error-message').first().waitFor();
  const texts = await page.locator('.error-summary li, .error-message').allInnerTexts();
  return texts.map((t) => t.trim()).filter(Boolean);
}

async function submit(page, formSelector) {
  await page.locator(`${formSelector} button[type=submit]`).first().click();
}

/// Every form's refusals in `lang`, by form.
async function refusals(lang) {
  const page = await newPage(browser, { locale: LOCALES[lang] });
  const out = {};

  await open(page, '/tickets/new');
  await page.locator('#ticket-form').waitFor();
  await submit(page, '#ticket-form');
  out['new ticket'] = await said(page);
  // The tab says the page, in its language.
  assert.equal(await page.title(), `${(await page.locator('h1').innerText()).trim()} — Selfdesk`);
  if (lang === 'ru') await shot(page, 'ticket-form-errors-ru');
  if (lang === 'fr') {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'ticket-form-errors-fr-390-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  await open(page, '/tickets');
  await page.locator('#lookup-number').fill('12');
  await submit(page, 'form:has(#lookup-number)');
  out['ticket lookup'] = await said(page);

  await open(page, '/staff/sign-in');
  await page.locator('#email').waitFor();
  await submit(page, 'form:has(#email)');
  out['sign in'] = await said(page);
  await page.locator('#email').fill('admin@demo.selfdesk');
  await page.locator('#password').fill(DEMO_PASSWORD);
  await submit(page, 'form:has(#email)');
  await page.waitForURL(`${BASE}/staff`);

  // A new account the server refuses: its reasons come back typed and are worded here.
  await page.locator('#new-staff-name').waitFor();
  await page.locator('#new-staff-email').fill('new.person@example.org');
  await page.locator('#new-staff-password').fill('short');
  await submit(page, 'form.new-account');
  out['new account'] = await said(page);

  await open(page, '/staff/canned-responses');
  await page.locator('#canned-body').fill('Dear {requestor}');
  await submit(page, 'form:has(#canned-body)');
  out['canned response'] = await said(page);
  assert.equal(await page.title(), `${(await page.locator('h1').innerText()).trim()} — Selfdesk`);
  if (lang === 'ru') await shot(page, 'canned-errors-ru');

  await open(page, '/staff/categories');
  await page.locator('#new-category').fill(`lang-${lang}-${Date.now().toString(36)}`);
  await submit(page, 'form:has(#new-category)');
  await page.locator('details[open] form button[type=submit]').click();
  out['category'] = await said(page);
  if (lang === 'nb') await shot(page, 'category-errors-nb');

  await open(page, '/staff/kb/new');
  await page.locator('#article-title').waitFor();
  await submit(page, 'form:has(#article-title)');
  out['new article'] = await said(page);

  await open(page, '/staff/flows');
  await page.locator('#flow-title').waitFor();
  await submit(page, 'form:has(#flow-title)');
  out['new flow'] = await said(page);

  await open(page, '/staff/service-levels');
  await page.locator('#sla-holidays').fill('25.12.2026');
  await submit(page, 'form.sla-form');
  out['service levels'] = await said(page);

  await open(page, '/staff/incidents');
  await page.locator('#incident-title').waitFor();
  await submit(page, 'form.incident-post');
  out['incident'] = await said(page);

  assert.deepEqual(page.errors, []);
  await page.context().close();
  return out;
}

test('every form says what is wrong in the reader\'s language, never in English', async () => {
  const english = await refusals('en');
  const sentences = new Set(Object.values(english).flat());
  for (const [form, texts] of Object.entries(english)) {
    assert.ok(texts.length > 0, `English ${form} says nothing`);
  }
  for (const lang of ['ru', 'fr', 'nb']) {
    const found = await refusals(lang);
    for (const [form, texts] of Object.entries(found)) {
      assert.ok(texts.length > 0, `${lang} ${form} says nothing`);
      for (const text of texts) {
        assert.ok(!sentences.has(text), `${lang} ${form} shows the English "${text}"`);
        assert.doesNotMatch(text, ENGLISH, `${lang} ${form}: "${text}"`);
      }
    }
  }
});

// The app writes dates itself (`components::dates`: the first `Intl` call of a page
// costs 20–60 ms of ICU loading): what it writes must be what the browser's `Intl`
// writes, in each language and in the reader's time zone, here one where the date
// differs from UTC's for much of the day.
test('an article\'s date reads as the browser\'s Intl writes it, in each language and time zone', async () => {
  const slug = 'program-wont-start-or-crashes';
  for (const lang of Object.keys(LOCALES)) {
    const page = await newPage(browser, { locale: LOCALES[lang], timezoneId: 'Pacific/Kiritimati' });
    await open(page, `/kb/${slug}`);
    const meta = page.locator('article.article .meta');
    await meta.waitFor();
    const expected = await page.evaluate(async ([slug, lang]) => {
      const article = await (await fetch(`/api/v1/kb/articles/${slug}?lang=${lang}`)).json();
      return new Date(article.updated_at * 1000).toLocaleDateString(lang, { dateStyle: 'long' });
    }, [slug, lang]);
    assert.ok((await meta.innerText()).includes(expected), `${lang}: "${await meta.innerText()}" has "${expected}"`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

// A date with its time, in a zone 10 hours behind UTC with summer time: the hour
// shown differs from UTC's whenever the test runs.
test('a ticket\'s filing time reads as the browser\'s Intl writes it, in each language and time zone', async () => {
  for (const lang of Object.keys(LOCALES)) {
    const filed = await (await fetch(`${BASE}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: BASE, 'Idempotency-Key': `dates-${lang}-${Date.now()}` },
      body: JSON.stringify({
        name: 'Ada Lovelace', email: 'ada@example.org', category: 'network', language: lang,
        subject: 'The Wi-Fi drops', description: 'Every few minutes.', impact: 'me', urgency: 'slowed',
      }),
    })).json();
    const page = await newPage(browser, { locale: LOCALES[lang], timezoneId: 'America/Adak' });
    await open(page, filed.tracking_path);
    const expected = await page.evaluate(([at, lang]) => new Date(at * 1000)
      .toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' }), [filed.ticket.created_at, lang]);
    await page.locator('dd', { hasText: expected }).first().waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
