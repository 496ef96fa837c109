// Checks in guided diagnostics: the browser answers a step by itself. With the network
// cut (Playwright's offline mode), the no-internet flow reaches its offline branch
// without a question; "That's not right" overrules the result by hand; a check that
// takes too long falls back to the question it would have spared; what the browser
// found travels with the ticket (across a reload of the walk), minus what the
// requester removed; with Chromium's fake camera and microphone the video-call flow
// finds them, asking the browser's permission only after saying why and the person
// choosing to, and without them it does not; the reach check tries the services an
// admin lists (loopback servers started here), and the page may connect to no others.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { accessibilityProblems, launch, newPage, open, scrollsSideways, shot, signIn } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const question = (page) => page.locator('#walk-question');
const HEALTH = '**/api/v1/health*';

/// Holds the check's request to the health endpoint until `release` is called, so a
/// test can look at the check while it runs and change the network meanwhile.
async function holdHealth(page) {
  let release;
  let asked;
  const released = new Promise((resolve) => { release = resolve; });
  // The check's request comes once the checks' module has loaded and runs.
  const requested = new Promise((resolve) => { asked = resolve; });
  release.requested = requested;
  await page.route(HEALTH, async (route) => {
    asked();
    const how = await released;
    if (how === 'fail') await route.abort('internetdisconnected');
    else await route.continue();
  });
  return release;
}

test('offline, the no-internet flow reaches its offline branch without a question, and an override continues by hand', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 } });
  const release = await holdHealth(page);
  await open(page, '/diagnose/no-internet');
  await question(page).filter({ hasText: 'We are checking whether this device is connected' }).waitFor();
  const status = page.getByRole('status').filter({ hasText: 'Checking…' });
  await status.waitFor();
  assert.deepEqual(await accessibilityProblems(page), []);
  assert.equal(await scrollsSideways(page), false);
  await shot(page, 'check-running-390-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'check-running-390-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  await release.requested;
  await page.context().setOffline(true);
  release('fail');
  // No question was asked: the offline branch's instruction is the next step.
  await question(page).filter({ hasText: 'This device is not connected to any network' }).waitFor();
  assert.match(page.url(), /\/diagnose\/no-internet\?v=1&w=offline$/);
  const trail = page.locator('.walk-trail .trail-step');
  assert.equal(await trail.count(), 1);
  assert.match(await trail.innerText(), /You are offline: this device has no network[\s\S]*That's not right/);
  assert.deepEqual(await accessibilityProblems(page), []);
  await shot(page, 'check-offline-390-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'check-offline-390-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Back online, the requester says the result is wrong: the check runs again and
  // shows what it found, with the other outcomes to choose from.
  await page.context().setOffline(false);
  await page.unroute(HEALTH);
  await trail.click();
  await page.getByText('Your browser found:').waitFor();
  await page.locator('.check-result strong').filter({ hasText: 'You are online, and the help desk answers' }).waitFor();
  assert.ok(await page.locator('.check-findings dt').filter({ hasText: 'Network' }).count() > 0);
  assert.deepEqual(await accessibilityProblems(page), []);
  assert.equal(await scrollsSideways(page), false);
  await shot(page, 'check-result-390-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'check-result-390-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByRole('button', { name: 'The network works, but the help desk does not answer' }).click();
  await question(page).filter({ hasText: 'Do other people or devices near you have internet?' }).waitFor();
  assert.match(page.url(), /w=portal_down_by_hand$/);
  assert.match(await trail.first().innerText(), /\(your answer\)[\s\S]*Change/);
  assert.deepEqual(page.errors, []);
});

test('a check that takes too long falls back to the question', async () => {
  const page = await newPage(browser);
  // Longer than any check may take.
  await page.route(HEALTH, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 8000));
    await route.continue().catch(() => {});
  });
  await open(page, '/diagnose/no-internet');
  await question(page).filter({ hasText: 'Do other people or devices near you have internet?' }).waitFor({ timeout: 10000 });
  assert.match(page.url(), /w=could_not_run$/);
  assert.match(await page.locator('.walk-trail .trail-a').innerText(), /The check could not run/);
  assert.deepEqual(page.errors, []);
});

test('a Norwegian walk shows the check in Norwegian', async () => {
  const page = await newPage(browser, { locale: 'nb-NO' });
  await open(page, '/diagnose/no-internet');
  await question(page).filter({ hasText: 'Har andre personer eller enheter i nærheten internett?' }).waitFor();
  const trail = page.locator('.walk-trail .trail-step');
  assert.match(await trail.innerText(), /Du er på nett, og brukerstøtten svarer[\s\S]*Det stemmer ikke/);
  assert.deepEqual(page.errors, []);
});

test('what the browser found is shown before sending, a removed item is not sent, and the technician sees the rest', async () => {
  const page = await newPage(browser);
  const release = await holdHealth(page);
  await open(page, '/diagnose/no-internet');
  await page.getByRole('status').filter({ hasText: 'Checking…' }).waitFor();
  await release.requested;
  await page.context().setOffline(true);
  release('fail');
  await question(page).filter({ hasText: 'This device is not connected to any network' }).waitFor();
  // Back online to file the ticket.
  await page.context().setOffline(false);
  await page.unroute(HEALTH);
  await page.getByRole('button', { name: 'Still not working', exact: true }).click();
  await question(page).filter({ hasText: 'How is your computer connected?' }).waitFor();
  await page.getByRole('button', { name: 'Network cable', exact: true }).click();
  await page.getByRole('button', { name: 'Still not working', exact: true }).click();
  await question(page).filter({ hasText: 'Restart your computer' }).waitFor();
  // A reload in the middle of the walk keeps what the browser found for the ticket.
  await page.reload();
  await question(page).filter({ hasText: 'Restart your computer' }).waitFor();
  await page.getByRole('button', { name: 'Still not working', exact: true }).click();

  await page.waitForURL(/\/tickets\/new/);
  await page.locator('#ticket-form').waitFor();
  const sent = page.locator('.findings-to-send li');
  await sent.first().waitFor();
  assert.match(await page.locator('.findings-to-send').innerText(), /Network: no[\s\S]*Help desk: no answer/);
  assert.deepEqual(await accessibilityProblems(page), []);
  await shot(page, 'check-findings-on-form');
  await page.getByRole('button', { name: 'Remove “Network”' }).click();
  assert.equal(await page.locator('.findings-to-send li', { hasText: 'Network' }).count(), 0);
  // Focus stays in the list, on the item now in the removed one's place.
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Remove “Help desk”');

  const subject = `No network here ${Date.now()}`;
  await page.getByLabel('Subject').fill(subject);
  await page.getByLabel('Your name').fill('Grace Hopper');
  await page.getByLabel('Email address').fill('grace@example.org');
  await page.getByLabel('Description').fill('The cable is in, still nothing.');
  await page.getByRole('button', { name: 'Send ticket' }).click();
  await page.waitForURL(/\/tickets\/SD-\d{4}-\d{6}/);
  const number = page.url().match(/SD-\d{4}-\d{6}/)[0];
  assert.deepEqual(page.errors, []);

  const staff = await newPage(browser);
  await signIn(staff, 'tier1@demo.selfdesk');
  await staff.getByRole('heading', { level: 1, name: /^Welcome/ }).waitFor();
  await open(staff, `/staff/tickets/${number}`);
  const panel = staff.locator('.browser-findings');
  await panel.getByRole('heading', { name: 'What the browser found' }).waitFor();
  const text = await panel.innerText();
  assert.match(text, /Help desk\s+no answer/);
  assert.doesNotMatch(text, /Network/);
  assert.match(await staff.locator('.transcript').innerText(), /Offline: no network \(found by the browser\)/);
  await shot(staff, 'check-findings-technician');
  assert.deepEqual(staff.errors, []);
});

test('the video-call flow finds a fake camera and microphone, says why before the browser asks to open them, and without them asks for neither', async () => {
  // Fake devices, and no permission given yet: the browser would ask.
  const faked = await launch(['--use-fake-device-for-media-stream']);
  try {
    const page = await newPage(faked, { viewport: { width: 390, height: 844 } });
    await open(page, '/diagnose/video-calls');
    // Devices are there but not yet allowed: the walk waits and says why first.
    const allow = page.getByRole('button', { name: 'Check with my permission' });
    await allow.waitFor();
    assert.match(await page.locator('.check-ask').innerText(), /opened for a moment and closed at once/);
    assert.ok(await page.getByRole('button', { name: 'Go on without' }).isVisible());
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.equal(await scrollsSideways(page), false);
    await shot(page, 'check-ask-media-390-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'check-ask-media-390-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    // Nothing was asked before the person chose to.
    assert.equal(await page.evaluate(async () => (await navigator.permissions.query({ name: 'camera' })).state), 'prompt');
    // The person will answer "Allow" to the browser's prompt.
    await page.context().grantPermissions(['camera', 'microphone']);
    await allow.click();
    await question(page).filter({ hasText: 'What goes wrong in the call?' }).waitFor();
    assert.match(page.url(), /w=media_ok$/);
    const trail = page.locator('.walk-trail .trail-step');
    assert.match(await trail.innerText(), /A camera and a microphone are there and allowed/);
    // What it found, shown when the requester doubts it.
    await trail.click();
    await page.locator('.check-result strong').filter({ hasText: 'A camera and a microphone are there and allowed' }).waitFor();
    const found = await page.locator('.check-findings').innerText();
    assert.match(found, /Cameras\s+1/);
    // Asked once: the browser's answer now stands.
    assert.match(found, /Camera permission\s+allowed/);
    assert.equal(await page.locator('.check-ask').count(), 0);
    // Chromium lists its fake microphone under "default" and "communications" too.
    assert.match(found, /Microphones\s+[1-9]/);
    assert.deepEqual(await accessibilityProblems(page), []);
    await shot(page, 'check-media-found');
    assert.deepEqual(page.errors, []);
  } finally {
    await faked.close();
  }

  // The same flow in a browser with no devices: the check says so, and the flow goes
  // to the headset steps instead of the question.
  const page = await newPage(browser);
  await open(page, '/diagnose/video-calls');
  await question(page).filter({ hasText: 'Connect your headset again' }).waitFor();
  assert.match(page.url(), /w=no_microphone$/);
  assert.deepEqual(page.errors, []);
});

/// A loopback HTTP server that answers after `delay` ms and counts what it was asked.
async function service(delay = 0) {
  const asked = [];
  const server = createServer((request, response) => {
    asked.push({ url: request.url, cookie: request.headers.cookie ?? null });
    setTimeout(() => response.end('ok'), delay);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, asked, url: `http://127.0.0.1:${server.address().port}` };
}

test('the reach check tries the services an admin lists, and the page may connect to no others', async () => {
  const fast = await service();
  const slow = await service(2000);
  const unlisted = await service();
  // A port nothing listens on: the connection is refused at once.
  const closed = await service();
  await new Promise((resolve) => closed.server.close(resolve));
  const admin = await newPage(browser);
  try {
    await signIn(admin, 'admin@demo.selfdesk');
    await open(admin, '/staff/reach-check');
    await admin.getByRole('heading', { level: 1, name: 'Services the reach check tries' }).waitFor();
    const add = admin.getByRole('button', { name: 'Add a service' });
    const save = admin.getByRole('button', { name: 'Save services' });
    for (const [name, url] of [['Intranet', 'intranet.example.org'], ['Mail', `${slow.url}/owa`], ['VPN gateway', closed.url]]) {
      await add.click();
      // The new row's name takes the focus.
      const nameBox = admin.locator('fieldset.reach-service').last().getByLabel('Name');
      await admin.waitForFunction(() => document.activeElement?.id?.endsWith('-name'));
      await admin.keyboard.type(name);
      await admin.locator('fieldset.reach-service').last().getByLabel('Address').fill(url);
      assert.equal(await nameBox.inputValue(), name);
    }
    // An address without its scheme is refused at its field, and what was typed stays.
    await save.click();
    const summary = admin.locator('.error-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /Service 1: Enter a full address starting with http:\/\/ or https:\/\//);
    assert.equal(await admin.locator('#service-0-url').getAttribute('aria-invalid'), 'true');
    assert.equal(await admin.locator('#service-2-name').inputValue(), 'VPN gateway');
    assert.deepEqual(await accessibilityProblems(admin), []);
    await shot(admin, 'reach-services-refused');
    await admin.locator('#service-0-url').fill(`${fast.url}/status`);
    await save.click();
    await admin.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.deepEqual(await accessibilityProblems(admin), []);
    await shot(admin, 'reach-services');
    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await scrollsSideways(admin), false);
    await shot(admin, 'reach-services-390-dark');
    assert.deepEqual(admin.errors, []);

    // A requester's VPN walk: online, the clock is right, then the services. The
    // browser holds a cookie for the loopback host, which the services share with
    // the portal: a probe that sent credentials would carry it.
    const page = await newPage(browser, { viewport: { width: 390, height: 844 } });
    await page.context().addCookies([{ name: 'selfdesk-probe-test', value: '1', domain: '127.0.0.1', path: '/' }]);
    await open(page, '/diagnose/vpn-wont-connect');
    await question(page).filter({ hasText: 'What happens when you try to connect the VPN?' }).waitFor({ timeout: 15000 });
    assert.match(page.url(), /some_unreachable$/);
    const step = page.locator('.walk-trail .trail-step').filter({ hasText: 'Some services do not answer' });
    await step.click();
    await page.locator('.check-result strong').filter({ hasText: 'Some services do not answer' }).waitFor();
    const found = await page.locator('.check-findings').innerText();
    assert.match(found, /Intranet: \d+ ms/);
    const mail = Number(found.match(/Mail: (\d+) ms/)[1]);
    assert.ok(mail >= 1900 && mail < 3000, `Mail answered in ${mail} ms`);
    assert.match(found, /VPN gateway: –/);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.equal(await scrollsSideways(page), false);
    await shot(page, 'check-reach-result-390-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'check-reach-result-390-dark');
    // The services were really asked, without the portal's cookies.
    assert.ok(fast.asked.some((a) => a.url === '/status' && a.cookie === null), JSON.stringify(fast.asked));
    assert.ok(slow.asked.some((a) => a.url === '/owa'));
    // The page's policy lets it connect to the listed services only.
    const blocked = await page.evaluate((url) => fetch(url, { mode: 'no-cors' }).then(() => 'sent', () => 'refused'), unlisted.url);
    assert.equal(blocked, 'refused');
    assert.equal(unlisted.asked.length, 0);
    assert.deepEqual(page.errors, []);

    // Without the gateway every service answers, one slowly: the VPN is connected.
    await admin.getByRole('button', { name: 'Remove service 3' }).click();
    await save.click();
    await admin.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await open(page, '/diagnose/vpn-wont-connect');
    await question(page).filter({ hasText: 'Your organisation\'s services answer from this device' }).waitFor({ timeout: 15000 });
    assert.match(page.url(), /reach_slow$/);
  } finally {
    // Other tests walk without services.
    await admin.evaluate(async () => {
      const answer = await fetch('/api/v1/staff/reach-services', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ services: [] }),
      });
      if (!answer.ok) throw new Error(`clearing the services: ${answer.status}`);
    });
    for (const s of [fast, slow, unlisted]) s.server.close();
  }
});
