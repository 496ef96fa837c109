// The technician's side in the browser: the queue (deadline order, quick filters,
// keyboard), and a ticket worked from tier 1 to tier 2 — assigned, answered with a
// canned response, noted internally, escalated with a reason, resolved — while the
// requester follows it live on the tracking page and confirms the fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, open, shot, signIn } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const RUN = Date.now().toString(36);

/// Files a ticket the way the portal does, and returns its number and tracking link.
async function fileTicket(page, subject, impact = 'team', urgency = 'blocked') {
  const response = await page.request.post(`${BASE}/api/v1/tickets`, {
    headers: { 'Idempotency-Key': `e2e-staff-${RUN}-${subject.length}-${Math.random()}`, origin: BASE },
    data: {
      name: 'Ada Lovelace', email: 'ada@example.org', category: 'printing', subject,
      description: 'Every page comes out **blank**.', impact, urgency,
      fields: { printer: '3rd floor' }, language: 'en',
    },
  });
  assert.equal(response.status(), 201, await response.text());
  const created = await response.json();
  return { number: created.number, link: `/tickets/${created.number}#access=${encodeURIComponent(created.access_token)}` };
}

async function staffPage(email) {
  const page = await newPage(browser);
  await signIn(page, email);
  await page.getByRole('heading', { level: 1, name: /^Welcome/ }).waitFor();
  return page;
}

test('tier 1 assigns, replies, notes and escalates; tier 2 resolves; the requester follows live and confirms', async () => {
  const requester = await newPage(browser);
  const subject = `Blank pages on the 3rd floor ${RUN}`;
  const { number, link } = await fileTicket(requester, subject);
  await open(requester, link);
  await requester.getByText('Live: new replies appear here').waitFor();

  // Tier 1 finds it in the queue and opens it by keyboard.
  const tina = await staffPage('tier1@demo.selfdesk');
  await tina.getByRole('link', { name: 'Ticket queue' }).first().click();
  await tina.getByRole('heading', { level: 1, name: 'Ticket queue' }).waitFor();
  const row = tina.locator('.queue-table tr', { hasText: number });
  await row.waitFor();
  assert.match(await row.locator('.sla-badge').innerText(), /^(Due in|Overdue by) /);
  await tina.getByRole('link', { name: /^Unassigned \d+/ }).click();
  await tina.waitForURL(/assignee=none/);
  await row.waitFor();
  await shot(tina, 'staff-queue');
  await row.getByRole('link').focus();
  await tina.keyboard.press('Enter');
  await tina.getByRole('heading', { level: 1, name: subject }).waitFor();

  // "a" assigns it to me; the change is on the timeline.
  await tina.keyboard.press('a');
  await tina.locator('.timeline-entry', { hasText: 'assigned the ticket to Tina First-Line' }).waitFor();
  // The timeline can show the change (live) before the answer to the request updates
  // the form: wait for the form too.
  await tina.waitForFunction(
    () => document.querySelector('#assignee option:checked')?.textContent.trim() === 'Tina First-Line',
  );

  // A public reply from a canned response, placeholders filled.
  await tina.getByLabel('Insert a canned response').selectOption({ label: 'Looking into it' });
  const box = tina.getByLabel('Reply to the requester', { exact: true }).last();
  assert.match(await tina.locator('#staff-reply').inputValue(), new RegExp(`Hello Ada Lovelace,[\\s\\S]*${number}`));
  await tina.locator('#staff-reply').fill(`Hello Ada, is the printer showing a toner warning? ${RUN}`);
  await tina.getByRole('button', { name: 'Preview' }).click();
  await tina.locator('.reply-preview', { hasText: 'toner warning' }).waitFor();
  await tina.getByRole('button', { name: 'Send reply' }).click();
  await tina.locator('.timeline-entry', { hasText: 'toner warning' }).waitFor();
  assert.equal(await tina.locator('#staff-reply').inputValue(), '');
  void box;

  // The requester sees the reply without reloading.
  await requester.locator('.timeline-entry', { hasText: 'toner warning' }).waitFor();

  // An internal note: marked as staff-only here, never shown to the requester.
  await tina.getByLabel('Internal note (staff only)').check();
  await tina.locator('#staff-reply').fill(`Print server spooler logs show errors ${RUN}`);
  await tina.getByRole('button', { name: 'Add internal note' }).click();
  const note = tina.locator('.timeline-entry.internal', { hasText: 'spooler logs' });
  await note.waitFor();
  assert.match(await note.innerText(), /Staff only/i);

  // Escalation needs a reason.
  await tina.getByRole('button', { name: 'Specialists (tier 2) ↑' }).click();
  await tina.getByLabel(/Why escalate/).fill('Needs a new fuser unit: specialists have the parts');
  await shot(tina, 'staff-ticket-escalating');
  await tina.getByRole('button', { name: 'Confirm' }).click();
  await tina.locator('.timeline-entry', { hasText: 'escalated the ticket to Specialists (tier 2)' }).waitFor();
  // Tier 1 no longer resolves it, but may still write.
  assert.equal(await tina.getByRole('button', { name: 'Resolve…' }).count(), 0);
  await tina.locator('#staff-reply').waitFor();
  await shot(tina, 'staff-ticket-escalated');

  // The requester sees the tier change live; the note never arrives.
  await requester.locator('.timeline-entry', { hasText: 'escalated the ticket to Specialists (tier 2)' }).waitFor();
  await requester.locator('.ticket-facts', { hasText: 'Specialists (tier 2)' }).first().waitFor();
  assert.equal(await requester.getByText('spooler logs').count(), 0);
  assert.equal(await requester.getByText('assigned the ticket').count(), 0);
  await shot(requester, 'requester-after-escalation');

  // Tier 2 resolves with a summary.
  const sam = await staffPage('tier2@demo.selfdesk');
  await open(sam, `/staff/tickets/${number}`);
  await sam.getByRole('heading', { level: 1, name: subject }).waitFor();
  await sam.locator('.timeline-entry.internal', { hasText: 'spooler logs' }).waitFor();
  await sam.getByRole('button', { name: 'Resolve…' }).click();
  await sam.getByLabel('Resolution summary').fill('Replaced the fuser unit; test pages print fine');
  await sam.getByRole('button', { name: 'Confirm' }).click();
  await sam.locator('.timeline-entry', { hasText: 'changed the status to “Resolved”' }).waitFor();
  await sam.getByRole('link', { name: 'Start a help article from this ticket' }).waitFor();
  await shot(sam, 'staff-ticket-resolved');

  // The requester confirms.
  await requester.getByRole('heading', { name: 'A technician says this is fixed. Does it work now?' }).waitFor();
  await requester.getByText('Replaced the fuser unit').first().waitFor();
  await requester.locator('label[for="rating-5"]').click();
  await requester.getByRole('button', { name: 'Yes, it works' }).click();
  await requester.locator('.panel-success', { hasText: 'Rated 5 out of 5' }).waitFor();
  await sam.locator('.timeline-entry', { hasText: 'confirmed that it works' }).waitFor();
  assert.deepEqual([...tina.errors, ...sam.errors, ...requester.errors], []);
  for (const p of [requester, tina, sam]) await p.context().close();
});

test('the queue orders by deadline, filters by address, and moves by keyboard', async () => {
  const page = await staffPage('tier3@demo.selfdesk');
  const urgent = await fileTicket(page, `Whole office cannot print ${RUN}`, 'everyone', 'blocked');
  const minor = await fileTicket(page, `Tray squeaks ${RUN}`, 'me', 'can_wait');
  await open(page, '/staff/tickets?priority=p1');
  await page.getByLabel('Priority').waitFor();
  assert.equal(await page.getByLabel('Priority').inputValue(), 'p1');
  await page.locator('.queue-table tr', { hasText: urgent.number }).waitFor();
  assert.equal(await page.locator('.queue-table tr', { hasText: minor.number }).count(), 0);
  // Choosing another filter changes the address and the list.
  await page.getByLabel('Priority').selectOption('p4');
  await page.waitForURL(/priority=p4/);
  await page.locator('.queue-table tr', { hasText: minor.number }).waitFor();

  // j / k move between tickets; the list stays in deadline order.
  await open(page, '/staff/tickets?sort=due');
  await page.locator('.queue-table tr', { hasText: urgent.number }).waitFor();
  await page.keyboard.press('j');
  const first = await page.evaluate(() => document.activeElement?.closest('tr')?.rowIndex);
  assert.equal(first, 1);
  await page.keyboard.press('j');
  assert.equal(await page.evaluate(() => document.activeElement?.closest('tr')?.rowIndex), 2);
  await page.keyboard.press('k');
  assert.equal(await page.evaluate(() => document.activeElement?.closest('tr')?.rowIndex), 1);
  const order = await page.locator('.queue-table .ticket-number').allInnerTexts();
  assert.ok(order.indexOf(urgent.number) < order.indexOf(minor.number), 'P1 comes before P4');

  // A ticket filed now appears without a reload.
  const late = await fileTicket(page, `Scanner jams ${RUN}`, 'team', 'slowed');
  await page.locator('.queue-table tr', { hasText: late.number }).waitFor({ timeout: 10000 });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a half-written reply survives a reload', async () => {
  const page = await staffPage('tier1@demo.selfdesk');
  const { number } = await fileTicket(page, `Monitor flickers ${RUN}`);
  await open(page, `/staff/tickets/${number}`);
  await page.locator('#staff-reply').fill('Could you try another cable');
  const streams = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === `/api/v1/staff/tickets/${number}/events`) streams.push(url);
  });
  await page.reload();
  await page.locator('header.site-header').waitFor();
  await page.locator('#staff-reply').waitFor();
  // The stream opens once the ticket is shown, asking only for newer events; the
  // colleague's note below, sent at once, still arrives.
  await page.waitForFunction(() => document.querySelector('.timeline-entry'));
  for (let i = 0; i < 50 && streams.length === 0; i++) await page.waitForTimeout(100);
  assert.equal(streams.length, 1);
  assert.ok(Number(streams[0].searchParams.get('after')) > 0, streams[0].href);
  assert.equal(await page.locator('#staff-reply').inputValue(), 'Could you try another cable');
  // A colleague's update arrives live while a reason is being typed: the text and the
  // focus stay where they were.
  await page.getByRole('button', { name: 'Specialists (tier 2) ↑' }).click();
  await page.getByLabel(/Why escalate/).fill('Needs a new');
  const note = await page.request.post(`${BASE}/api/v1/staff/tickets/${number}/replies`, { data: { body: `Colleague note ${RUN}`, internal: true }, headers: { origin: BASE } });
  assert.equal(note.status(), 200);
  await page.locator('.timeline-entry', { hasText: `Colleague note ${RUN}` }).waitFor();
  assert.equal(await page.getByLabel(/Why escalate/).inputValue(), 'Needs a new');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'move-text');
  assert.equal(await page.locator('#staff-reply').inputValue(), 'Could you try another cable');
  // An empty escalation reason is refused by the server with the reason named.
  const response = await page.request.post(`${BASE}/api/v1/staff/tickets/${number}/tier`, { data: { tier: 2, reason: ' ' }, headers: { origin: BASE } });
  assert.equal(response.status(), 422);
  await page.context().close();
});

test('a known incident shows on the home page, collects tickets, and closing it resolves them', async () => {
  const tina = await staffPage('tier1@demo.selfdesk');
  await open(tina, '/staff/incidents');
  const title = `VPN down for all users since 09:10 ${RUN}`;
  await tina.getByLabel('Title').fill(title);
  await tina.getByLabel('What people should know (optional)').fill('The gateway is being restarted.');
  await tina.getByRole('button', { name: 'Post incident' }).click();
  const item = tina.locator('.incident', { hasText: title });
  await item.waitFor();

  // Requesters see it on the home page, without signing in.
  const visitor = await newPage(browser);
  await open(visitor, '/');
  await visitor.locator('.known-problems', { hasText: title }).waitFor();
  // A notice under the search box, on a line kept for it, leads to the list.
  await visitor.getByRole('link', { name: /^Known problems right now: \d+$/ }).click();
  assert.match(visitor.url(), /#known-problems$/);
  await shot(visitor, 'home-known-problem');

  // A ticket is linked to it from the ticket page; the requester is told.
  const { number, link } = await fileTicket(visitor, `No VPN from home ${RUN}`);
  await open(tina, `/staff/tickets/${number}`);
  await tina.getByLabel('Known incident').selectOption({ label: title });
  await tina.locator('.timeline-entry', { hasText: `linked the ticket to the known problem “${title}”` }).waitFor();
  await open(visitor, link);
  await visitor.getByText(`This is part of a known problem: “${title}”`).waitFor();

  // Closing the incident resolves the linked ticket with one message.
  await open(tina, '/staff/incidents');
  await item.getByText('1 open tickets linked').waitFor();
  await item.getByRole('button', { name: 'Close…' }).click();
  await item.getByLabel('What was done (kept with the incident)').fill('The VPN gateway was restarted; connect again.');
  assert.ok(await item.getByLabel('Also resolve the 1 linked open tickets with this message').isChecked());
  await shot(tina, 'staff-incident-closing');
  await item.getByRole('button', { name: 'Close the incident' }).click();
  await tina.locator('.incident-list').last().getByText(title).waitFor();
  await visitor.getByRole('heading', { name: 'A technician says this is fixed. Does it work now?' }).waitFor();
  await visitor.getByText('The VPN gateway was restarted').first().waitFor();
  await open(visitor, '/');
  await visitor.locator('.hero').waitFor();
  assert.equal(await visitor.locator('.known-problems', { hasText: title }).count(), 0);
  assert.equal(await visitor.locator('.known-notice').count(), 1, 'the notice keeps its line');
  for (const p of [tina, visitor]) await p.context().close();
});

test('an admin sets business hours and targets; a bad holiday is named, nothing typed is lost', async () => {
  const admin = await staffPage('admin@demo.selfdesk');
  await admin.getByRole('link', { name: 'Service levels' }).click();
  await admin.getByRole('heading', { level: 1, name: 'Service levels' }).waitFor();
  assert.equal(await admin.getByLabel('Opens at').inputValue(), '08:00');
  await admin.getByLabel('Holidays (closed all day)').fill('2026-12-25\n26.12.2026');
  await admin.getByRole('button', { name: 'Save service levels' }).click();
  await admin.locator('#sla-holidays-error').getByText('Holidays, line 2: “26.12.2026” is not a date in the form 2026-12-25.').waitFor();
  assert.equal(await admin.getByLabel('Holidays (closed all day)').inputValue(), '2026-12-25\n26.12.2026');
  await admin.getByLabel('Holidays (closed all day)').fill('2026-12-25\n2026-12-26');
  await admin.getByLabel('First answer target for P4, in minutes').fill('1200');
  await admin.getByRole('button', { name: 'Save service levels' }).click();
  await admin.getByText(/Saved\. Deadlines of \d+ open tickets were recomputed\./).waitFor();
  await shot(admin, 'staff-service-levels');
  // Technicians read them but cannot change them.
  const tech = await staffPage('tier2@demo.selfdesk');
  await open(tech, '/staff/service-levels');
  await tech.getByText('Only admins can change the service levels.').waitFor();
  assert.equal(await tech.getByLabel('First answer target for P4, in minutes').inputValue(), '1200');
  assert.ok(await tech.getByLabel('First answer target for P4, in minutes').isDisabled());
  // Put the defaults back for the other tests.
  await admin.getByLabel('Holidays (closed all day)').fill('');
  await admin.getByLabel('First answer target for P4, in minutes').fill('1080');
  await admin.getByRole('button', { name: 'Save service levels' }).click();
  await admin.getByText(/Saved\./).waitFor();
  assert.deepEqual([...admin.errors, ...tech.errors], []);
  for (const p of [admin, tech]) await p.context().close();
});

test('an admin adds a category with a field in two languages; the ticket form asks for it', async () => {
  const admin = await staffPage('admin@demo.selfdesk');
  await open(admin, '/staff/categories');
  await admin.getByRole('heading', { level: 1, name: 'Ticket categories' }).waitFor();
  const slug = `rooms-${RUN}`;
  await admin.getByLabel('New category address').fill(slug);
  await admin.getByRole('button', { name: 'Add category' }).click();
  const editor = admin.locator('details.category-editor', { hasText: slug });
  await editor.locator(`#${slug}-name-en`).fill('Meeting rooms');
  await editor.locator(`#${slug}-name-fr`).fill('Salles de réunion');
  await editor.getByRole('button', { name: 'Add a field' }).click();
  await editor.getByLabel('Key (kept on tickets)').fill('Room Number');
  await editor.locator(`#${slug}-field-0-label-en`).fill('Room');
  await editor.getByRole('button', { name: 'Save category' }).click();
  // The shared rule's reason, said by the app: under the key, and in the summary.
  await editor.locator(`#${slug}-field-0-key-error`).getByText('Use 1 to 40 lowercase letters a–z, digits and _.').waitFor();
  await editor.locator('.error-summary').getByText('Field 1 — Key (kept on tickets): Use 1 to 40').waitFor();
  assert.equal(await editor.getByLabel('Key (kept on tickets)').inputValue(), 'Room Number');
  await editor.getByLabel('Key (kept on tickets)').fill('room');
  await editor.getByLabel('Required').check();
  await editor.locator(`#${slug}-field-0-label-fr`).fill('Salle');
  await editor.getByRole('button', { name: 'Save category' }).click();
  await editor.getByText('Saved. New tickets use it now.').waitFor();
  await shot(admin, 'staff-categories');

  const requester = await newPage(browser, { locale: 'fr-FR' });
  await open(requester, `/tickets/new?category=${slug}`);
  await requester.locator('#ticket-form').waitFor();
  await requester.getByLabel('Salle').waitFor();
  for (const p of [admin, requester]) await p.context().close();
});

test('an admin creates a staff account and deactivates it', async () => {
  const admin = await staffPage('admin@demo.selfdesk');
  const email = `new-${RUN}@demo.selfdesk`;
  const form = admin.locator('form.new-account');
  await form.getByLabel('Name').fill('Nina Newcomer');
  await form.getByLabel('Email address').fill(email);
  await form.getByLabel('Role').selectOption('tier2');
  await form.getByLabel('First password').fill('short');
  await form.getByRole('button', { name: 'Create account' }).click();
  // The server's refusal, worded by the app under the field it is about.
  await form.locator('#new-staff-password-error').getByText('Use at least 12 characters.').waitFor();
  assert.equal(await form.getByLabel('Email address').inputValue(), email);
  await form.getByLabel('First password').fill('a long enough first password');
  await form.getByRole('button', { name: 'Create account' }).click();
  const row = admin.locator('tr', { hasText: email });
  await row.getByText('Active').waitFor();
  await row.getByRole('button', { name: 'Deactivate Nina Newcomer (signs them out everywhere)' }).click();
  await row.getByText('Deactivated').waitFor();
  await shot(admin, 'staff-accounts');
  await admin.context().close();
});
