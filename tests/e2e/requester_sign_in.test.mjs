// Signing in, end to end against real servers started by `cargo xtask e2e` for this
// file only: the organisation's OpenID provider (`tests/oidc/provider.mjs`, the
// certified `oidc-provider`, at OIDC_ISSUER) with its own login and consent pages, and
// the SMTP sink that writes what the help desk sends to SENT_MAIL_DIR.
//
// 1. A requester signs in at the provider, files a ticket without typing who they
//    are, and in a second browser sees it in "My tickets", with the ticket filed
//    anonymously with their address before, and opens it there.
// 3. A technician in the provider's tier-2 group signs in to the staff area as tier 2;
//    moved to no group, the next sign-in is refused staff access, and the page says so.
// 4. Signing in with a link by email, through the SMTP server; the link works once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { BASE, launch, newPage, open, shot, accessibilityProblems, scrollsSideways } from './helpers.mjs';

const SENT = process.env.SENT_MAIL_DIR;
const ISSUER = process.env.OIDC_ISSUER;
const PASSWORD = 'test-password';
const RUN = Date.now().toString(36);

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// Files a ticket through the API as someone who never signs in.
async function fileAnonymously(page, name, email, subject) {
  const response = await page.request.post(`${BASE}/api/v1/tickets`, {
    headers: { 'Idempotency-Key': `e2e-sign-in-${RUN}-${subject.length}-${email}`, origin: BASE },
    data: {
      name, email, category: 'printing', subject,
      description: 'Filed before signing in.', impact: 'me', urgency: 'slowed',
      fields: { printer: '2nd floor' }, language: 'en',
    },
  });
  assert.equal(response.status(), 201, await response.text());
  return (await response.json()).number;
}

const onPortal = (url) => url.origin === new URL(BASE).origin;

/// The provider's own pages: its login form, then its consent page when it asks
/// (a provider may remember an earlier consent).
async function signInAtProvider(page, email) {
  await page.waitForURL((url) => url.origin === new URL(ISSUER).origin);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const allow = page.getByRole('button', { name: 'Allow' });
  await Promise.race([page.waitForURL(onPortal), allow.waitFor()]);
  if (!onPortal(new URL(page.url()))) await allow.click();
}

/// The first email to `to` whose text contains `needle`, waited for.
async function waitForEmail(to, needle, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const name of (await readdir(SENT)).filter((n) => n.endsWith('.json')).sort()) {
      const mail = JSON.parse(await readFile(`${SENT}/${name}`, 'utf8'));
      if (mail.rcpt_tos.includes(to) && mail.body.includes(needle)) return mail;
    }
    if (Date.now() > deadline) throw new Error(`no email to ${to} containing “${needle}” within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('a requester signs in with the organisation and sees every ticket of their address on a second browser', async () => {
  // An unbroken share path in the subject: the list must still fit a phone's width.
  const earlier = `Printer \\\\print-01.corp.example.org\\floor-3-colour-laserjet-m750-duplex-queue jams ${RUN}`;
  const laptop = await newPage(browser);
  const anonymous = await fileAnonymously(laptop, 'Ada Lovelace', 'ada@example.org', earlier);

  // Signed out, "My tickets" offers to sign in; the header too.
  await open(laptop, '/tickets');
  await laptop.locator('header.site-header a', { hasText: 'Sign in' }).waitFor();
  await laptop.locator('main a', { hasText: 'Sign in' }).click();
  await laptop.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  assert.deepEqual(await accessibilityProblems(laptop), []);
  await shot(laptop, 'requester-sign-in-choice');
  await laptop.getByRole('link', { name: 'Sign in with your organisation’s account' }).click();
  await signInAtProvider(laptop, 'ada@example.org');

  // Back on "My tickets", signed in, with the ticket filed anonymously before.
  await laptop.waitForURL(`${BASE}/tickets`);
  await laptop.getByText('Signed in as Ada Lovelace (ada@example.org)').waitFor();
  await laptop.locator('.ticket-list a', { hasText: earlier }).waitFor();
  assert.equal(await laptop.locator('header.site-header a', { hasText: /^Sign in$/ }).count(), 0);
  await shot(laptop, 'my-tickets-signed-in');

  // The form knows who is asking and does not ask again.
  const subject = `Laptop will not wake from sleep ${RUN}`;
  await open(laptop, `/tickets/new?category=hardware&impact=me&urgency=slowed&subject=${encodeURIComponent(subject)}`);
  await laptop.locator('#ticket-form').waitFor();
  await laptop.getByText('You are signed in as Ada Lovelace (ada@example.org): replies go to this address.').waitFor();
  assert.equal(await laptop.getByLabel('Email address').count(), 0);
  assert.equal(await laptop.getByLabel('Your name').count(), 0);
  await laptop.getByLabel('Device or asset tag').fill('LT-0099');
  await laptop.getByLabel('Description').fill('The screen stays black after closing the lid.');
  await laptop.getByRole('button', { name: 'Send ticket' }).click();
  await laptop.waitForURL(/\/tickets\/SD-\d{4}-\d{6}/);
  const filed = new URL(laptop.url()).pathname.split('/').pop();

  // Another browser, nothing kept in it: signing in again shows both, and opens them.
  const phone = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  await open(phone, '/tickets/sign-in?return_to=/tickets');
  await phone.getByRole('link', { name: 'Sign in with your organisation’s account' }).waitFor();
  assert.equal(await scrollsSideways(phone), false);
  await shot(phone, 'requester-sign-in-choice-390-dark');
  await phone.getByRole('link', { name: 'Sign in with your organisation’s account' }).click();
  await signInAtProvider(phone, 'ada@example.org');
  await phone.waitForURL(`${BASE}/tickets`);
  for (const text of [earlier, subject]) {
    await phone.locator('.ticket-list a', { hasText: text }).waitFor();
  }
  assert.equal(await scrollsSideways(phone), false);
  assert.deepEqual(await accessibilityProblems(phone), []);
  await shot(phone, 'my-tickets-signed-in-390-dark');
  await phone.locator('.ticket-list a', { hasText: subject }).click();
  await phone.waitForURL(`${BASE}/tickets/${filed}`);
  await phone.getByRole('heading', { level: 1, name: subject }).waitFor();
  // The ticket filed anonymously opens too, by its number alone.
  await open(phone, `/tickets/${anonymous}`);
  await phone.getByRole('heading', { level: 1, name: earlier }).waitFor();

  // Signing out everywhere ends the laptop's session as well.
  await open(phone, '/tickets');
  await phone.getByRole('button', { name: 'Sign out on all devices' }).click();
  await phone.waitForURL(`${BASE}/tickets`);
  await phone.locator('main a', { hasText: 'Sign in' }).waitFor();
  const me = await laptop.request.get(`${BASE}/api/v1/me`);
  assert.equal(me.status(), 401);
  assert.deepEqual(laptop.errors, []);
  assert.deepEqual(phone.errors, []);
});

test('a technician in the tier-2 group signs in as tier 2; out of every group, staff access is refused', async () => {
  const page = await newPage(browser);
  await open(page, '/staff/sign-in');
  await page.getByRole('link', { name: 'Sign in with your organisation’s account' }).click();
  await signInAtProvider(page, 'grace@example.org');
  await page.waitForURL(`${BASE}/staff`);
  const me = await (await page.request.get(`${BASE}/api/v1/auth/me`)).json();
  assert.equal(me.role, 'tier2');
  assert.equal(me.email, 'grace@example.org');
  await open(page, '/staff/tickets');
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.match(page.url(), /\/staff\/tickets/);

  // The organisation moves her out of every staff group.
  const moved = await page.request.post(`${ISSUER}/test-control/groups?email=grace@example.org&groups=-`);
  assert.equal(moved.status(), 204);
  const again = await newPage(browser);
  await open(again, '/staff/sign-in');
  await again.getByRole('link', { name: 'Sign in with your organisation’s account' }).click();
  await signInAtProvider(again, 'grace@example.org');
  await again.waitForURL(`${BASE}/staff/sign-in?failed=not-staff`);
  await again.getByText('Your organisation does not list you in any of the help desk’s staff groups').waitFor();
  assert.equal((await again.request.get(`${BASE}/api/v1/auth/me`)).status(), 401);
  // Her earlier session ended too.
  assert.equal((await page.request.get(`${BASE}/api/v1/auth/me`)).status(), 401);
  await shot(again, 'staff-sso-refused');
  await page.request.post(`${ISSUER}/test-control/groups?email=grace@example.org&groups=helpdesk-tier2,staff`);
});

test('a requester signs in with a link by email, once', async () => {
  const address = `kari.${RUN}@example.org`;
  const earlier = `Skriveren skriver blanke ark ${RUN}`;
  const page = await newPage(browser, { locale: 'nb-NO' });
  await fileAnonymously(page, 'Kari Nordmann', address, earlier);
  await open(page, '/tickets/sign-in');
  await page.getByRole('heading', { level: 1, name: 'Logg inn' }).waitFor();
  // A wrong address is named, and what was typed stays.
  await page.getByLabel('E-postadresse').fill('kari@');
  await page.getByRole('button', { name: 'Send meg en lenke' }).click();
  await page.locator('.error-summary').waitFor();
  assert.equal(await page.getByLabel('E-postadresse').inputValue(), 'kari@');
  await page.getByLabel('E-postadresse').fill(address);
  await page.getByRole('button', { name: 'Send meg en lenke' }).click();
  await page.getByText(`En lenke er på vei til ${address}`).waitFor();
  assert.deepEqual(await accessibilityProblems(page), []);
  await shot(page, 'requester-sign-in-email-sent-nb');
  await page.setViewportSize({ width: 320, height: 700 });
  assert.equal(await scrollsSideways(page), false, 'the longest words in the header still fit at 320 px');
  await page.setViewportSize({ width: 1280, height: 800 });

  const mail = await waitForEmail(address, '/tickets/sign-in#link=');
  const link = mail.body.match(/https?:\/\/\S+\/tickets\/sign-in#link=\S+/)[0];
  // From another page: from the sign-in page itself, only the fragment would change.
  await open(page, '/');
  await page.goto(link);
  await page.locator('header.site-header').waitFor();
  // The token leaves the address bar at once.
  assert.equal(new URL(page.url()).hash, '');
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.waitForURL(`${BASE}/tickets`);
  await page.getByText(`Logget inn som Kari Nordmann (${address})`).waitFor();
  await page.locator('.ticket-list a', { hasText: earlier }).waitFor();

  // The same link in another browser signs no one in.
  const other = await newPage(browser, { locale: 'nb-NO' });
  await other.goto(link);
  await other.locator('header.site-header').waitFor();
  await other.getByRole('button', { name: 'Logg inn' }).click();
  await other.getByText('Denne lenken er allerede brukt eller har utløpt').waitFor();
  assert.equal((await other.request.get(`${BASE}/api/v1/me`)).status(), 401);
  assert.deepEqual(page.errors, []);
});
