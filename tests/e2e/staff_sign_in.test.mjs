// Staff sign-in and sign-out in the browser, with the demo accounts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  accessibilityProblems, launch, newPage, open, scrollsSideways, shot, signIn,
} from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('staff area sends visitors to sign-in, then back', async () => {
  const page = await newPage(browser);
  await open(page, '/staff');
  await page.getByRole('heading', { level: 1, name: 'Staff sign-in' }).waitFor();
  assert.match(page.url(), /\/staff\/sign-in\?next=/);
  await shot(page, 'sign-in');
  await page.context().close();
});

test('empty and malformed input get field errors without losing what was typed', async () => {
  const page = await newPage(browser);
  await open(page, '/staff/sign-in');
  await page.getByLabel('Email address').fill('not-an-email');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const summary = page.getByRole('alert');
  await summary.getByText('There is a problem').waitFor();
  assert.equal(await summary.getByRole('link').count(), 2);
  assert.equal(await page.getByLabel('Email address').inputValue(), 'not-an-email');
  assert.equal(await page.getByLabel('Email address').getAttribute('aria-invalid'), 'true');
  await shot(page, 'sign-in-errors');
  await page.context().close();
});

test('a wrong password is refused with a clear message', async () => {
  const page = await newPage(browser);
  await signIn(page, 'tier3@demo.selfdesk', 'definitely-wrong');
  await page.getByText('The email address or password is wrong.').first().waitFor();
  assert.equal(await page.getByLabel('Email address').inputValue(), 'tier3@demo.selfdesk');
  await page.context().close();
});

test('a technician signs in, sees the staff area, and signs out', async () => {
  const page = await newPage(browser);
  await signIn(page, 'tier1@demo.selfdesk');
  await page.getByRole('heading', { level: 1, name: 'Welcome, Tina First-Line' }).waitFor();
  await page.getByText('Tier 1 technician').waitFor();
  // Technicians do not see the admin-only staff list.
  assert.equal(await page.getByRole('heading', { name: 'Staff accounts' }).count(), 0);
  await shot(page, 'staff-tier1');

  // The session survives a reload (it lives in an HttpOnly cookie, not in the page).
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Welcome, Tina First-Line' }).waitFor();
  assert.equal(await page.evaluate(() => document.cookie.includes('sd_session')), false);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { level: 1, name: 'How can we help?' }).waitFor();
  await page.getByRole('link', { name: 'Staff sign-in' }).waitFor();
  await open(page, '/staff');
  await page.getByRole('heading', { level: 1, name: 'Staff sign-in' }).waitFor();
  await page.context().close();
});

test('an admin sees staff accounts; a failed request offers a retry', async () => {
  const page = await newPage(browser);
  await signIn(page, 'admin@demo.selfdesk');
  await page.getByRole('heading', { name: 'Staff accounts' }).waitFor();
  await page.getByRole('cell', { name: 'tier2@demo.selfdesk' }).waitFor();
  await shot(page, 'staff-admin');

  // Cut the network for the staff list and reload: an error with a retry, not a blank page.
  await page.route('**/api/v1/staff', (route) => route.abort('internetdisconnected'));
  await page.reload();
  const alert = page.getByRole('alert');
  await alert.getByText('We could not reach the server.').waitFor();
  await shot(page, 'staff-admin-offline');
  await page.unroute('**/api/v1/staff');
  await alert.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('cell', { name: 'tier2@demo.selfdesk' }).waitFor();
  await page.context().close();
});

test('a technician chooses which emails they get, and the choice is kept', async () => {
  const page = await newPage(browser);
  await signIn(page, 'tier2@demo.selfdesk');
  await page.getByRole('heading', { level: 2, name: 'Email notifications' }).waitFor();
  const sla = page.getByLabel('a ticket assigned to me will miss its service level within 30 minutes');
  assert.equal(await sla.isChecked(), true, 'every kind is on at first');
  await sla.uncheck();
  await page.getByLabel('Language of these emails').selectOption('fr');
  await page.getByRole('button', { name: 'Save email settings' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  assert.deepEqual(await accessibilityProblems(page), []);
  await shot(page, 'staff-email-settings');

  await page.reload();
  await page.getByRole('heading', { level: 2, name: 'Email notifications' }).waitFor();
  const reloaded = page.getByLabel('a ticket assigned to me will miss its service level within 30 minutes');
  await page.getByLabel('the requester answers on a ticket assigned to me').waitFor();
  assert.equal(await reloaded.isChecked(), false);
  assert.equal(await page.getByLabel('Language of these emails').inputValue(), 'fr');
  assert.equal(await page.getByLabel('a ticket is passed, unassigned, to my tier').isChecked(), true);

  // At 390 px, in the dark, and in Norwegian.
  const phone = await newPage(browser, { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await signIn(phone, 'tier2@demo.selfdesk');
  await phone.getByRole('heading', { level: 2, name: 'Email notifications' }).waitFor();
  await phone.locator('#language-select').selectOption('nb');
  await phone.getByRole('heading', { level: 2, name: 'Varsler på e-post' }).waitFor();
  await phone.getByRole('group', { name: 'Send meg e-post når' }).waitFor();
  await phone.getByLabel('innmelderen svarer på en sak som er tildelt meg').waitFor();
  assert.equal(await scrollsSideways(phone), false);
  assert.deepEqual(await accessibilityProblems(phone), []);
  await shot(phone, 'staff-email-settings-nb-390-dark');
  await phone.context().close();
  await page.context().close();
});
