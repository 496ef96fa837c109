// Guided diagnostics in the browser: walking a flow to a fix; to a ticket whose form
// arrives prefilled with the transcript; changing answers through the trail and the
// browser's back button; resuming after a reload; a subflow whose steps join the
// ticket's transcript; a walk done with the keyboard alone; and the technician's
// editor with its checks and preview.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, open, shot, signIn } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const question = (page) => page.locator('#walk-question');
async function answer(page, label) {
  await page.getByRole('button', { name: label, exact: true }).click();
}

test('home lists the flows, and a walk ends in a fix', async () => {
  const page = await newPage(browser);
  await open(page, '/');
  await page.getByRole('link', { name: 'I have no internet' }).waitFor();
  await shot(page, 'home-flows');
  await page.getByRole('link', { name: 'I have no internet' }).click();
  await question(page).filter({ hasText: 'Do other people or devices near you have internet?' }).waitFor();
  await answer(page, 'Yes, only I am affected');
  await question(page).filter({ hasText: 'How is your computer connected?' }).waitFor();
  await answer(page, 'Wi-Fi');
  // The article is shown inside the step.
  await page.locator('.walk-article h3').waitFor();
  // Shown as plain text at once, then as rendered Markdown.
  await page.locator('.walk-article .prose:not(.plain-text) li').first().waitFor();
  await shot(page, 'walk-article');
  await answer(page, 'This helped');
  await page.getByText('Great, you are back online!').waitFor();
  // The connection check answered first, by itself (the browser is online here).
  assert.match(page.url(), /\/diagnose\/no-internet\?v=1&w=online\.only_me\.wifi\.helped$/);
  await shot(page, 'walk-resolved');
  assert.deepEqual(page.errors, []);
});

test('answers change through the trail and the back button, a reload resumes, and the ticket form is prefilled', async () => {
  const page = await newPage(browser);
  await open(page, '/diagnose/printer');
  await answer(page, 'Laptop');
  await answer(page, 'Yes, websites open');
  await question(page).filter({ hasText: 'Turn the printer off' }).waitFor();
  // Back two steps through the trail: change the computer.
  const trail = page.locator('.walk-trail button');
  assert.equal(await trail.count(), 2);
  await trail.first().click();
  await question(page).filter({ hasText: 'Which computer are you printing from?' }).waitFor();
  assert.equal(await trail.count(), 0);
  await answer(page, 'Desktop computer');
  await answer(page, 'Yes, websites open');
  await answer(page, 'Still not working');
  await page.locator('.walk-article').waitFor();
  // Back two steps with the browser.
  await page.goBack();
  await question(page).filter({ hasText: 'Turn the printer off' }).waitFor();
  await page.goBack();
  await question(page).filter({ hasText: 'Can you open websites on this computer?' }).waitFor();
  // A reload resumes where the walk was.
  await page.reload();
  await question(page).filter({ hasText: 'Can you open websites on this computer?' }).waitFor();
  assert.equal(await page.locator('.walk-trail .trail-a').innerText(), 'Desktop computer');
  await shot(page, 'walk-trail');
  await answer(page, 'Yes, websites open');
  await answer(page, 'Still not working');
  await answer(page, 'This did not help');

  await page.waitForURL(/\/tickets\/new/);
  await page.locator('#ticket-form').waitFor();
  assert.equal(await page.getByLabel('Subject').inputValue(), 'Printer not printing (computer: Desktop computer)');
  assert.equal(await page.getByLabel('Category').inputValue(), 'printing');
  assert.ok(await page.getByLabel('Only me').isChecked());
  const steps = page.locator('.transcript li');
  assert.equal(await steps.count(), 4);
  assert.match(await steps.first().innerText(), /Which computer are you printing from\?\s+Desktop computer/);
  assert.match(await steps.last().innerText(), /This did not help/);
  // The diagnosis filled the form: nothing was "restored".
  assert.equal(await page.getByText('We restored the ticket you were writing').count(), 0);
  await shot(page, 'walk-ticket-prefilled');

  // Filed, the ticket keeps the answers for the technician and the requester.
  await page.getByLabel('Your name').fill('Grace Hopper');
  await page.getByLabel('Email address').fill('grace@example.org');
  await page.getByLabel('Description').fill('The desktop on the 2nd floor cannot print.');
  await page.getByRole('button', { name: 'Send ticket' }).click();
  await page.waitForURL(/\/tickets\/SD-\d{4}-\d{6}/);
  await page.getByRole('heading', { name: 'Your answers to the diagnostic questions' }).waitFor();
  assert.equal(await page.locator('.transcript li').count(), 4);
  await shot(page, 'walk-ticket-tracking');
  assert.deepEqual(page.errors, []);
});

test('a subflow continues in another flow and its steps join the transcript', async () => {
  const page = await newPage(browser);
  await open(page, '/diagnose/printer');
  await answer(page, 'Laptop');
  await answer(page, 'No, nothing loads');
  await page.waitForURL(/\/diagnose\/no-internet\?(.*&)?prev=printer~1~laptop\.no/);
  await question(page).filter({ hasText: 'Do other people or devices near you have internet?' }).waitFor();
  await answer(page, 'No, nobody has internet');
  await page.waitForURL(/\/tickets\/new/);
  await page.locator('#ticket-form').waitFor();
  assert.equal(await page.getByLabel('Category').inputValue(), 'network');
  assert.equal(await page.getByLabel('Subject').inputValue(), 'No internet for everyone at my location');
  // Two answers in the printer flow, the connection check and one answer here (the
  // check's findings are a list of their own inside its step).
  assert.equal(await page.locator('.transcript > li').count(), 4);
  assert.deepEqual(page.errors, []);
});

test('a flow can be walked with the keyboard alone', async () => {
  const page = await newPage(browser);
  await open(page, '/diagnose/sign-in');
  await question(page).waitFor();
  let onAnswer = false;
  for (let i = 0; i < 40 && !onAnswer; i++) {
    await page.keyboard.press('Tab');
    onAnswer = await page.evaluate(() => document.activeElement?.classList.contains('walk-answer'));
  }
  assert.ok(onAnswer, 'Tab reaches the answers');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'It says my password is wrong');
  await page.keyboard.press('Enter');
  await question(page).filter({ hasText: 'Caps Lock' }).waitFor();
  // Focus moved to the new question, so the next Tab is its first answer.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'walk-question');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'That fixed it');
  await page.keyboard.press('Enter');
  await page.getByText('Glad you are signed in again!').waitFor();
  await shot(page, 'walk-keyboard-resolved');
});

test('technicians edit a flow with its problems in place, try it, and publish it', async () => {
  const page = await newPage(browser);
  await signIn(page, 'tier2@demo.selfdesk');
  await page.waitForURL(/\/staff$/);
  const staffUrl = page.url();
  await page.goto(staffUrl.replace(/\/staff$/, '/staff/flows'));
  await page.getByRole('link', { name: 'I have a problem with email' }).click();
  await page.getByText('No problems: this flow can be published.').waitFor();
  const source = page.getByLabel('The flow, as TOML');
  const original = await source.inputValue();
  assert.match(original, /slug = "email"/);

  // A syntax error is shown with its line once the draft is saved.
  await source.fill(original.replace('type = "resolved"', 'type = resolved'));
  await page.getByText(/Problems to fix before publishing: 1/).waitFor({ timeout: 10000 });
  await page.getByRole('button', { name: /Go to line \d+/ }).waitFor();
  assert.ok(await page.getByRole('button', { name: 'Publish' }).isDisabled());
  await shot(page, 'flow-editor-syntax');
  // A reload keeps the draft; discarding goes back to the live version.
  await page.reload();
  await page.getByText(/Problems to fix before publishing: 1/).waitFor();
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await page.getByText('No problems: this flow can be published.').waitFor();

  // An answer that leads nowhere is named, with the node it belongs to.
  const edited = original.replace('What is wrong with your email?', 'Which email problem do you have?');
  assert.notEqual(edited, original);
  await source.fill(edited.replace('next = "outbox"', 'next = "outbx"'));
  await page.getByText('Answer “not_sending” of node “problem” leads to “outbx”, which does not exist.').waitFor({ timeout: 10000 });
  assert.ok(await page.getByRole('button', { name: 'Publish' }).isDisabled());
  await shot(page, 'flow-editor-dangling');
  // Fixed, it can be tried in the preview and published.
  await source.fill(edited);
  await page.getByText('No problems: this flow can be published.').waitFor({ timeout: 10000 });
  const preview = page.locator('.flow-preview');
  await preview.getByText('Which email problem do you have?').waitFor();
  await preview.getByRole('button', { name: 'My messages are not sent', exact: true }).click();
  await preview.getByText('Open the Outbox folder.', { exact: false }).waitFor();
  await shot(page, 'flow-editor');
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByText(/Published: version 2 is live/).waitFor();
  assert.deepEqual(page.errors, []);

  // Requesters get the new version.
  const requester = await newPage(browser);
  await open(requester, '/diagnose/email');
  await question(requester).filter({ hasText: 'Which email problem do you have?' }).waitFor();
  await requester.getByRole('button', { name: 'My messages are not sent', exact: true }).click();
  assert.match(requester.url(), /\/diagnose\/email\?v=2&w=not_sending$/);
  assert.deepEqual(requester.errors, []);
});
