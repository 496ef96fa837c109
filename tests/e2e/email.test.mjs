// The conversation by email, end to end on real mail servers (started by
// `cargo xtask e2e` for this file only: the SMTP sink writes what the help desk sends
// to SENT_MAIL_DIR, Dovecot serves the help desk's mailbox on IMAP_PORT). A technician
// replies in the browser → the requester's email arrives → the requester answers it
// from their mail program (the answer is delivered to the mailbox over IMAP) → the
// answer appears on the ticket's timeline, live, for the requester and the technician.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import { BASE, launch, newPage, open, shot, signIn, accessibilityProblems, scrollsSideways } from './helpers.mjs';

const SENT = process.env.SENT_MAIL_DIR;
const IMAP_PORT = Number(process.env.IMAP_PORT);

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const RUN = Date.now().toString(36);

/// The first email to `to` whose text contains `needle`, waited for (the outbox
/// delivers within a few seconds).
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

/// Delivers a message into the help desk's mailbox the way a mail server does, with
/// IMAP APPEND over a plain loopback connection.
function appendToMailbox(raw) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(IMAP_PORT, '127.0.0.1');
    const body = Buffer.from(raw.replace(/\r?\n/g, '\r\n'), 'utf8');
    let buffer = '';
    let step = 0;
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`IMAP timed out: ${buffer}`)); }, 10_000);
    socket.on('error', (e) => { clearTimeout(timer); reject(e); });
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const failed = /^a\d (NO|BAD) .*$/m.exec(buffer);
      if (failed) { clearTimeout(timer); socket.destroy(); reject(new Error(`IMAP: ${failed[0]}`)); return; }
      if (step === 0 && /^\* OK/m.test(buffer)) {
        step = 1;
        socket.write(`a1 LOGIN ${process.env.IMAP_USER} ${process.env.IMAP_PASSWORD}\r\n`);
      } else if (step === 1 && /^a1 OK/m.test(buffer)) {
        step = 2;
        socket.write(`a2 APPEND INBOX {${body.length}}\r\n`);
      } else if (step === 2 && /^\+/m.test(buffer)) {
        step = 3;
        socket.write(Buffer.concat([body, Buffer.from('\r\n')]));
      } else if (step === 3 && /^a2 OK/m.test(buffer)) {
        step = 4;
        socket.write('a3 LOGOUT\r\n');
        clearTimeout(timer);
        socket.end();
        resolve();
      }
    });
  });
}

test('a technician replies, the requester answers the email, and the answer lands on the ticket live', async () => {
  const requesterAddress = `grace.${RUN}@example.org`;
  const subject = `Laptop dock drops the screen ${RUN}`;
  const requester = await newPage(browser);
  const response = await requester.request.post(`${BASE}/api/v1/tickets`, {
    headers: { 'Idempotency-Key': `e2e-email-${RUN}`, origin: BASE },
    data: {
      name: 'Grace Hopper', email: requesterAddress, category: 'hardware', subject,
      description: 'The external screen goes black every few minutes.', impact: 'me', urgency: 'slowed',
      fields: { asset_tag: 'LT-0042' },
      language: 'en',
    },
  });
  assert.equal(response.status(), 201, await response.text());
  const { number, access_token: token } = await response.json();
  // The confirmation arrives first.
  await waitForEmail(requesterAddress, number);

  await open(requester, `/tickets/${number}#access=${encodeURIComponent(token)}`);
  await requester.getByText('Live: new replies appear here').waitFor();

  // The technician replies in the browser.
  const tech = await newPage(browser);
  await signIn(tech, 'tier1@demo.selfdesk');
  await tech.getByRole('heading', { level: 1, name: /^Welcome/ }).waitFor();
  await open(tech, `/staff/tickets/${number}`);
  await tech.getByRole('heading', { level: 1, name: subject }).waitFor();
  const question = `Does it happen on battery too? ${RUN}`;
  await tech.locator('#staff-reply').fill(question);
  await tech.getByRole('button', { name: 'Send reply' }).click();
  await tech.locator('.timeline-entry', { hasText: question }).waitFor();

  // Its email reaches the requester, with the reply's text and an address to answer.
  const email = await waitForEmail(requesterAddress, question);
  assert.match(email.subject, new RegExp(number));
  assert.match(email.reply_to, /^.*help\+[A-Za-z0-9_-]+@selfdesk\.test>?$/, `Reply-To: ${email.reply_to}`);
  const replyTo = /help\+[A-Za-z0-9_-]+@selfdesk\.test/.exec(email.reply_to)[0];

  // The requester answers from their mail program: new text on top, the email quoted
  // below, and a signature — only the new text belongs on the ticket.
  const answer = `Only on the dock, never on battery ${RUN}`;
  await appendToMailbox([
    `From: Grace Hopper <${requesterAddress}>`,
    `To: ${replyTo}`,
    `Subject: Re: ${email.subject}`,
    `Message-ID: <answer-${RUN}@example.org>`,
    `In-Reply-To: ${email.message_id}`,
    `References: ${email.message_id}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    answer,
    '',
    '-- ',
    'Grace Hopper, Navy Yard',
    '',
    `On ${new Date().toDateString()}, Selfdesk wrote:`,
    `> ${question}`,
    '',
  ].join('\n'));

  // It appears on both timelines without a reload, without the quote or signature.
  const requesterEntry = requester.locator('.timeline-entry', { hasText: answer });
  await requesterEntry.waitFor({ timeout: 30_000 });
  const text = await requesterEntry.innerText();
  assert.ok(!text.includes('Navy Yard'), `the signature stays out: ${text}`);
  assert.ok(!text.includes('Selfdesk wrote'), `the quoted email stays out: ${text}`);
  await tech.locator('.timeline-entry', { hasText: answer }).waitFor({ timeout: 30_000 });
  await shot(requester, 'email-reply-on-timeline');
  await shot(tech, 'email-reply-staff-timeline');
  assert.deepEqual(await accessibilityProblems(requester), []);
  assert.deepEqual(requester.errors, []);
  assert.deepEqual(tech.errors, []);

  // Only admins read the mail log.
  const log = await tech.request.get(`${BASE}/api/v1/staff/mail-in`);
  assert.equal(log.status(), 403, 'a tier-1 technician does not read the mail log');
  await tech.context().close();
  await requester.context().close();
  lastTicket = { number, answerSubject: `Re: ${email.subject}`, requesterAddress };
});

/// What the first test filed and answered, for the admin pages' test.
let lastTicket;

test('admins see the mail read, the outbox, and manage webhooks', async () => {
  assert.ok(lastTicket, 'runs after the reply-by-email test');
  const admin = await newPage(browser);
  await signIn(admin, 'admin@demo.selfdesk');
  await admin.getByRole('heading', { level: 1, name: /^Welcome/ }).waitFor();

  // The mail read: the answer became a reply on its ticket, which the row links to.
  await admin.getByRole('link', { name: 'Mail received' }).click();
  await admin.getByRole('heading', { level: 1, name: 'Mail received' }).waitFor();
  const mailRow = admin.locator('.mail-in-table tr', { hasText: lastTicket.answerSubject });
  await mailRow.waitFor();
  await mailRow.getByText('Reply on a ticket').waitFor();
  await mailRow.getByRole('link', { name: lastTicket.number }).waitFor();
  await admin.getByLabel('Show').selectOption('rejected');
  await admin.getByText('No mail read yet.').waitFor();
  assert.deepEqual(await accessibilityProblems(admin), []);

  // The outbox: the confirmation and the technician's reply, both sent.
  await open(admin, '/staff/outbox');
  await admin.getByRole('heading', { level: 1, name: 'Outbox' }).waitFor();
  const sent = admin.locator('.outbox-table tr', { hasText: lastTicket.requesterAddress });
  await sent.filter({ hasText: 'Technician’s reply' }).first().waitFor();
  await sent.filter({ hasText: 'Ticket received' }).first().waitFor();
  assert.equal(await sent.filter({ hasText: 'Technician’s reply' }).first().locator('.badge').innerText(), 'Sent');
  assert.deepEqual(await accessibilityProblems(admin), []);
  await shot(admin, 'admin-outbox');
  await admin.getByLabel('Show').selectOption('failed');
  await admin.getByText('Nothing here.').waitFor();

  // Webhooks: an address inside the network is refused with the reason, and what was
  // typed stays; a public one is registered paused (so nothing is ever sent to it).
  await open(admin, '/staff/webhooks');
  await admin.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
  await admin.getByText('No webhooks yet.').waitFor();
  await admin.getByLabel('Address (URL)').fill('http://192.168.1.10/hook');
  await admin.getByRole('button', { name: 'Add a webhook' }).click();
  await admin.getByText('Use a public address: addresses inside the network').first().waitFor();
  assert.equal(await admin.getByLabel('Address (URL)').inputValue(), 'http://192.168.1.10/hook');
  await admin.getByLabel('Address (URL)').fill(`https://hooks.example.org/selfdesk-${RUN}`);
  await admin.getByLabel('A known problem is opened (incident.opened)').uncheck();
  await admin.getByLabel('Send deliveries to this address').uncheck();
  await admin.getByRole('button', { name: 'Add a webhook' }).click();
  const card = admin.locator('.webhook', { hasText: `selfdesk-${RUN}` });
  await card.waitFor();
  await card.getByText('Paused').waitFor();
  assert.equal(await card.getByText('incident.opened').count(), 0);
  await card.getByRole('button', { name: 'Show the secret' }).click();
  assert.match(await card.locator('code').innerText(), /^whsec_/);
  await card.getByRole('button', { name: 'Recent deliveries' }).click();
  await card.getByText('Nothing delivered yet.').waitFor();
  assert.deepEqual(await accessibilityProblems(admin), []);
  await shot(admin, 'admin-webhooks');
  await card.getByRole('button', { name: 'Delete' }).click();
  await card.getByRole('button', { name: 'Yes, delete' }).click();
  await admin.getByText('No webhooks yet.').waitFor();
  assert.deepEqual(admin.errors, []);
  await admin.context().close();

  // At 390 px, in the dark, in Russian: nothing in English but the data, no sideways
  // scrolling.
  const phone = await newPage(browser, { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await signIn(phone, 'admin@demo.selfdesk');
  await phone.getByRole('heading', { level: 1, name: /^Welcome/ }).waitFor();
  await phone.locator('#language-select').selectOption('ru');
  for (const [path, heading, shotName] of [
    ['/staff/outbox', 'Исходящие', 'admin-outbox-ru-390-dark'],
    ['/staff/mail-in', 'Полученная почта', 'admin-mail-in-ru-390-dark'],
    ['/staff/webhooks', 'Веб-хуки', 'admin-webhooks-ru-390-dark'],
  ]) {
    await open(phone, path);
    await phone.getByRole('heading', { level: 1, name: heading }).waitFor();
    await phone.locator('table, .empty, .webhook-form').first().waitFor();
    assert.equal(await scrollsSideways(phone), false, `${path} scrolls sideways at 390 px`);
    assert.deepEqual(await accessibilityProblems(phone), [], path);
    await shot(phone, shotName);
  }
  assert.deepEqual(phone.errors, []);
  await phone.context().close();
});
