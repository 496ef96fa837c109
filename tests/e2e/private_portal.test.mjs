// A private portal (`SELFDESK_REQUESTER_SIGN_IN=required`, started by `cargo xtask
// e2e` for this file only, with the organisation's OpenID provider at OIDC_ISSUER): a
// signed-out visitor of the knowledge base is sent to sign in, signs in at the
// provider, and comes back to the page they wanted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, shot, accessibilityProblems } from './helpers.mjs';

const ISSUER = process.env.OIDC_ISSUER;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a signed-out visitor of the knowledge base signs in and comes back to it', async () => {
  const page = await newPage(browser, { locale: 'fr-FR' });
  await page.goto(`${BASE}/kb/printer-not-printing-from-laptop`);
  await page.waitForURL(`${BASE}/tickets/sign-in?return_to=/kb/printer-not-printing-from-laptop`);
  await page.getByRole('heading', { level: 1, name: 'Se connecter' }).waitFor();
  await page.getByText('Ce support est réservé aux membres de l’organisation').waitFor();
  // Nothing of the knowledge base was shown, and the API refuses it too.
  assert.equal((await page.request.get(`${BASE}/api/v1/kb/articles`)).status(), 401);
  assert.deepEqual(await accessibilityProblems(page), []);
  await shot(page, 'private-portal-sign-in-fr');

  await page.getByRole('link', { name: 'Se connecter avec le compte de votre organisation' }).click();
  await page.waitForURL((url) => url.origin === new URL(ISSUER).origin);
  await page.getByLabel('Email').fill('linus@example.org');
  await page.getByLabel('Password').fill('test-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const allow = page.getByRole('button', { name: 'Allow' });
  const onPortal = (url) => url.origin === new URL(BASE).origin;
  await Promise.race([page.waitForURL(onPortal), allow.waitFor()]);
  if (!onPortal(new URL(page.url()))) await allow.click();

  await page.waitForURL(`${BASE}/kb/printer-not-printing-from-laptop`);
  await page.locator('article h1, main h1').first().waitFor();
  assert.equal((await page.request.get(`${BASE}/api/v1/kb/articles`)).status(), 200);
  assert.deepEqual(page.errors, []);
});
