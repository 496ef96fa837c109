// Staff sign-in security in the browser: a technician changes their password, turns on
// two-factor sign-in by scanning (here: reading) the key and confirming a code, keeps
// the recovery codes, and then signs in with a code; an admin issues a reset link
// (this portal sends no email, so the link is shown once) that sets a new password.
// The codes come from an authenticator written here from RFC 6238, not from the app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { BASE, DEMO_PASSWORD, accessibilityProblems, launch, newPage, open, scrollsSideways, shot, signIn } from './helpers.mjs';

const RUN = Date.now().toString(36);
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/// The 6-digit code an authenticator app shows `offsetSecs` from now.
function totp(secret, offsetSecs = 0) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor((Date.now() / 1000 + offsetSecs) / 30)));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const at = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/// A request from inside the page, as the app makes them (same origin, its cookie).
async function apiCall(page, method, path, body) {
  return page.evaluate(async ([method, path, body]) => {
    const response = await fetch(path, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: await response.text() };
  }, [method, path, body]);
}

test('a technician changes the password, turns on two-factor sign-in and signs in with a code; an admin’s reset link sets a new one', async () => {
  const admin = await newPage(browser);
  await signIn(admin, 'admin@demo.selfdesk');
  const email = `sam.${RUN}@example.org`;
  const created = await apiCall(admin, 'POST', '/api/v1/staff', {
    email, display_name: `Sam Security ${RUN}`, role: 'tier2', password: 'first password here',
  });
  assert.equal(created.status, 201, created.body);

  const sam = await newPage(browser);
  await signIn(sam, email, 'first password here');
  await sam.waitForURL(`${BASE}/staff`);
  await sam.getByRole('link', { name: 'Sign-in security' }).click();
  await sam.getByRole('heading', { level: 1, name: 'Sign-in security' }).waitFor();
  assert.equal(await sam.title(), 'Sign-in security — Selfdesk');

  // A wrong current password is said at its field; what was typed stays.
  await sam.getByLabel('Current password').fill('not my password');
  await sam.getByLabel('New password').fill('a much longer passphrase');
  await sam.getByRole('button', { name: 'Change password' }).click();
  await sam.getByText('This is not your current password').waitFor();
  assert.equal(await sam.getByLabel('New password').inputValue(), 'a much longer passphrase');
  await sam.getByLabel('Current password').fill('first password here');
  await sam.getByRole('button', { name: 'Change password' }).click();
  await sam.getByText('Password changed. You stay signed in here; your other sessions have ended.').waitFor();
  assert.deepEqual(await accessibilityProblems(sam), []);
  await shot(sam, 'staff-security');

  // Two-factor sign-in: the key, then the app's first code; the codes are shown once.
  await sam.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await sam.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
  const secret = (await sam.locator('code.secret-key').textContent()).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.deepEqual(await accessibilityProblems(sam), []);
  await shot(sam, 'staff-security-scan');
  await sam.getByLabel('The 6-digit code the app shows now').fill('000000');
  await sam.getByRole('button', { name: 'Turn on', exact: true }).click();
  await sam.getByText('This is not the code the app shows now.', { exact: false }).waitFor();
  await sam.getByLabel('The 6-digit code the app shows now').fill(totp(secret));
  await sam.getByRole('button', { name: 'Turn on', exact: true }).click();
  await sam.getByText('Keep these recovery codes somewhere safe. They are shown only now.').waitFor();
  const codes = await sam.locator('.recovery-codes code').allTextContents();
  assert.equal(codes.length, 10);
  assert.deepEqual(await accessibilityProblems(sam), []);
  await shot(sam, 'staff-security-recovery-codes');
  await sam.getByRole('button', { name: 'I have kept them' }).click();
  await sam.getByText('On. Recovery codes left: 10.').waitFor();

  // Signing in now asks for the code after the password.
  const phone = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  await open(phone, '/staff/sign-in');
  await phone.getByLabel('Email address').fill(email);
  await phone.getByLabel('Password').fill('a much longer passphrase');
  await phone.getByRole('button', { name: 'Sign in' }).click();
  await phone.getByLabel('Code from your authenticator app').waitFor();
  assert.deepEqual(await accessibilityProblems(phone), []);
  await shot(phone, 'staff-sign-in-code-390-dark');
  await phone.getByLabel('Code from your authenticator app').fill(totp(secret, 30));
  await phone.getByRole('button', { name: 'Sign in' }).click();
  await phone.waitForURL(`${BASE}/staff`);
  // The staff home is another app: let its page load in full before leaving it, or
  // the next navigation is cut short (seen on PostgreSQL, whose answers come later).
  await phone.waitForFunction(() => [...document.scripts].some((s) => s.textContent.includes('/manage-app/')));
  await phone.waitForLoadState('load');
  await phone.locator('header.site-header').waitFor();
  await open(phone, '/staff/security');
  await phone.getByText('On. Recovery codes left: 10.').waitFor();
  assert.equal(await scrollsSideways(phone), false);
  assert.deepEqual(await accessibilityProblems(phone), []);
  await shot(phone, 'staff-security-390-dark');

  // The admin's reset link, shown once (no email here), sets a new password.
  await open(admin, '/staff');
  await admin.getByRole('button', { name: `Reset password for Sam Security ${RUN}` }).click();
  const link = await admin.getByLabel('Link to choose a new password').inputValue();
  assert.match(link, /\/staff\/reset-password#token=[\w-]{43}$/);
  assert.deepEqual(await accessibilityProblems(admin), []);
  await shot(admin, 'staff-accounts-reset-link');

  const fresh = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await fresh.goto(link);
  await fresh.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
  await fresh.getByLabel('New password', { exact: true }).fill('chosen after the reset');
  await fresh.getByLabel('New password again').fill('chosen after the rest');
  await fresh.getByRole('button', { name: 'Set the password' }).click();
  await fresh.locator('.error-summary', { hasText: 'The two passwords are not the same' }).waitFor();
  await fresh.getByLabel('New password again').fill('chosen after the reset');
  await fresh.getByRole('button', { name: 'Set the password' }).click();
  await fresh.getByText('Your password is set, and your account was signed out everywhere.', { exact: false }).waitFor();
  assert.equal(await scrollsSideways(fresh), false);
  assert.deepEqual(await accessibilityProblems(fresh), []);
  await shot(fresh, 'staff-reset-password-done-390');
  // Every session ended, the phone's too; the link works no second time.
  const me = await apiCall(phone, 'GET', '/api/v1/auth/me');
  assert.equal(me.status, 401);
  await fresh.goto(link);
  await fresh.reload();
  await fresh.getByLabel('New password', { exact: true }).fill('chosen a second time');
  await fresh.getByLabel('New password again').fill('chosen a second time');
  await fresh.getByRole('button', { name: 'Set the password' }).click();
  await fresh.getByText('This link no longer works', { exact: false }).waitFor();

  // The new password with a recovery code (two-factor sign-in stays on).
  await open(fresh, '/staff/sign-in');
  await fresh.getByLabel('Email address').fill(email);
  await fresh.getByLabel('Password').fill('chosen after the reset');
  await fresh.getByRole('button', { name: 'Sign in' }).click();
  await fresh.getByLabel('Code from your authenticator app').fill(codes[0]);
  await fresh.getByRole('button', { name: 'Sign in' }).click();
  await fresh.waitForURL(`${BASE}/staff`);
  for (const page of [admin, sam, phone, fresh]) assert.deepEqual(page.errors, []);
});

test('the security page speaks Norwegian', async () => {
  const page = await newPage(browser, { locale: 'nb-NO', colorScheme: 'dark' });
  await open(page, '/staff/sign-in');
  const signedIn = await apiCall(page, 'POST', '/api/v1/auth/sign-in', { email: 'tier3@demo.selfdesk', password: DEMO_PASSWORD });
  assert.equal(signedIn.status, 200, signedIn.body);
  await open(page, '/staff/security');
  await page.getByRole('heading', { level: 1, name: 'Innloggingssikkerhet' }).waitFor();
  await page.getByRole('button', { name: 'Slå på totrinnsinnlogging' }).waitFor();
  assert.deepEqual(await accessibilityProblems(page), []);
  await shot(page, 'staff-security-nb-dark');
  assert.deepEqual(page.errors, []);
});
