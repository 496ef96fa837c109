// The threat model's browser half (docs/ARCHITECTURE.md, "Threat model"): hostile text
// sent through every place user text is shown stays text; ticket text never makes the
// browser fetch a remote image; a crafted sign-in link never bounces a technician off
// the staff area; downloads and live updates never put the tracking token in a URL,
// and a leaked link can be replaced.
//
// Every page here is fenced to 127.0.0.1: a request for any other host is aborted and
// written down, so a test that fails can never reach the outside world either.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BASE, launch, newPage, open, shot, signIn } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const RUN = Date.now().toString(36);
/// One search word (letters only, so no tokenizer or stemmer splits it) that tags every
/// hostile text of this run; `${MARK}:<place>` says where a piece was put.
const MARK = `hx${RUN.replace(/\d/g, (d) => 'abcdefghij'[d])}q`;
/// Where helpers.mjs puts screenshots (for one of a section rather than a whole page).
const SHOTS = process.env.SCREENSHOT_DIR ?? 'artifacts';

// ---------------------------------------------------------------------------------
// The payloads. Each tries to run `window.__pwned = 1` a different way: raw HTML, event handlers, script-like URLs in Markdown and in HTML, entity and
// case tricks, nested frames, parser-confusion (mXSS) shapes. One line each, so every
// field — also the one-line ones — can carry them.

const ONE_LINE = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '<svg/onload=window.__pwned=1>',
  '[click](javascript:window.__pwned=1)',
  '[x](JaVaScRiPt&#58;window.__pwned=1)',
  '![x](javascript:window.__pwned=1)',
  '<a href="javascript:window.__pwned=1">a</a>',
  '<iframe srcdoc="<script>parent.__pwned=1</script>">',
  '"><script>window.__pwned=1</script>',
  '<details open ontoggle=window.__pwned=1>',
  '[x](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0xPC9zY3JpcHQ+)',
  '<scr<script>ipt>window.__pwned=1</script>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>',
  '<input autofocus onfocus=window.__pwned=1>',
  '<javascript:window.__pwned=1>',
  '[x](&#x6A;avascript:window.__pwned=1)',
  '<object data="javascript:window.__pwned=1"></object>',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
];
/// Payloads only Markdown bodies can carry (more than one line).
const MULTI_LINE = [
  '```html\n<script>window.__pwned=1</script>\n```',
  '[ref link][r]\n\n[r]: javascript:window.__pwned=1',
  '<div>\n<img src=x onerror=window.__pwned=1>\n</div>',
];

/// A Markdown text with every payload: each in a paragraph of its own (block-level
/// HTML) and all of them again on one line (inline HTML), which the parser treats
/// differently.
function hostileMarkdown(place) {
  return [`${MARK}:${place}`, ...ONE_LINE, ...MULTI_LINE, ONE_LINE.join(' ')].join('\n\n');
}

/// The one-line payloads packed into strings of at most `max` characters, each
/// starting with `${MARK}:${place}-<n>`: together they carry every payload through a
/// short field (a subject, a hint, a title).
function packed(place, max, payloads = ONE_LINE) {
  const out = [];
  for (const payload of payloads) {
    const last = out.length - 1;
    if (last >= 0 && out[last].length + 1 + payload.length <= max) {
      out[last] += ` ${payload}`;
    } else {
      out.push(`${MARK}:${place}-${out.length} ${payload}`);
      assert.ok(out.at(-1).length <= max, `"${payload}" does not fit in a ${place} of ${max} characters`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------
// Browsers, requests and checks.

/// A page that may only talk to 127.0.0.1 (a request to any other host is aborted and
/// listed in `page.blocked`; data: and blob: URLs stay in the browser), that lists alerts instead of showing them (`page.dialogs`), and
/// that writes down Content-Security-Policy violations (`window.__cspViolations`: a
/// blocked inline script or remote image means something hostile reached the DOM).
async function fencedPage(options) {
  const page = await newPage(browser, options);
  page.blocked = [];
  page.dialogs = [];
  await page.context().route('**/*', (route) => {
    const url = route.request().url();
    const { protocol, hostname } = new URL(url);
    if (hostname === '127.0.0.1' || protocol === 'data:' || protocol === 'blob:') return route.continue();
    page.blocked.push(url);
    return route.abort();
  });
  page.on('dialog', (dialog) => {
    page.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  await page.context().addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return page;
}

/// A signed-in technician's page, and `api(method, path, data, ...okStatuses)` for
/// their staff API calls. The session cookie rides along, so each write carries the
/// `Origin` the server demands of cookie-carrying writes (its CSRF check).
async function staffSession(email) {
  const page = await fencedPage();
  await signIn(page, email);
  await page.getByRole('heading', { level: 1, name: /^Welcome/ }).waitFor();
  const api = async (method, path, data, ...ok) => {
    const response = await page.request.fetch(`${BASE}/api/v1${path}`, {
      method, data, headers: method === 'GET' ? {} : { origin: BASE },
    });
    const expected = ok.length ? ok : [200, 201];
    assert.ok(expected.includes(response.status()), `${method} ${path}: ${response.status()} ${await response.text()}`);
    return response.status() === 204 ? null : response.json();
  };
  return { page, api };
}

/// A requester's call, as the tickets app makes it: no cookie, the token (if any) in
/// `Authorization`.
async function requesterApi(method, path, { token, json, body, headers = {} } = {}) {
  const response = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(json ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: json ? JSON.stringify(json) : body,
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

/// Files a ticket through the API (a fresh Idempotency-Key each time) and returns its
/// number, token and tracking link.
async function fileTicket(ticket) {
  const response = await requesterApi('POST', '/tickets', {
    headers: { 'Idempotency-Key': `e2e-hardening-${randomUUID()}` },
    json: {
      name: 'Ada Lovelace', email: 'ada@example.org', category: 'printing',
      impact: 'team', urgency: 'blocked', fields: {}, language: 'en', ...ticket,
    },
  });
  assert.equal(response.status, 201, response.text);
  const { number, access_token: token } = response.json();
  return { number, token, link: `/tickets/${number}#access=${encodeURIComponent(token)}` };
}

/// Waits until every `${MARK}:<place>` in `places` is on the page and every piece of
/// Markdown has been through the renderer (until then it shows as plain text, which
/// would prove nothing).
async function waitForText(page, places) {
  const wanted = places.map((p) => `${MARK}:${p}`);
  try {
    await page.waitForFunction((words) => {
      const text = document.body.textContent;
      return words.every((w) => text.includes(w)) && !document.querySelector('.prose.plain-text');
    }, wanted, { timeout: 20000 });
  } catch (error) {
    const text = await page.evaluate(() => document.body.textContent);
    const missing = wanted.filter((w) => !text.includes(w));
    throw new Error(`${page.url()}: never showed ${missing.join(', ') || 'rendered Markdown'} (${error.message})`);
  }
}

/// Everything in the document that could run script or load another document.
async function dangerousThings(page) {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    const short = (el) => el.outerHTML.slice(0, 140);
    const badScheme = (url) => /^(javascript|data|vbscript):/i.test(url ?? '');
    return {
      pwned: window.__pwned,
      handlers: all.flatMap((el) => [...el.attributes]
        .filter((a) => a.name.toLowerCase().startsWith('on'))
        .map((a) => `<${el.tagName.toLowerCase()} ${a.name}>`)),
      javascriptLinks: [...document.querySelectorAll('a[href^="javascript:" i]')].map(short),
      // As the browser resolves them (entities decoded, whitespace stripped): no link,
      // form or embedded thing may point at a script-like scheme.
      scriptUrls: [
        ...[...document.querySelectorAll('a[href], area[href]')].filter((a) => badScheme(a.href)),
        ...[...document.querySelectorAll('form[action], [formaction]')].filter((f) => /^javascript:/i.test(f.getAttribute('action') ?? f.getAttribute('formaction') ?? '')),
        ...[...document.querySelectorAll('img, video, audio, source')].filter((m) => /^(javascript|vbscript):/i.test(m.src ?? '')),
      ].map(short),
      frames: [...document.querySelectorAll('iframe, frame, object, embed, base, meta[http-equiv], [srcdoc], math')].map(short),
      scripts: [...document.scripts].map((s) => ({ src: s.src, text: s.textContent.slice(0, 200) })),
      csp: window.__cspViolations ?? [],
    };
  });
}

/// The scripts each app's page brings itself, read on a page without user text.
const ownScripts = new Map();
/// Which app serves `path` (as `selfdesk_shared::areas` decides).
function area(path) {
  const under = (prefix) => path === prefix || path.startsWith(`${prefix}/`);
  if (under('/staff/insight')) return 'insight';
  if (under('/staff/tickets') || under('/staff/incidents') || under('/staff/sign-in')) return 'staff';
  if (under('/staff')) return 'manage';
  if (path === '/tickets/new' || path === '/tickets/new/') return 'filing';
  if (['/tickets', '/tickets/', '/tickets/sign-in', '/tickets/sign-in/'].includes(path)) return 'my tickets';
  if (under('/tickets')) return 'tracking';
  if (under('/diagnose')) return 'diagnose';
  return 'portal';
}
const scriptKey = (s) => `${s.src}|${s.text}`;
async function learnOwnScripts(page, path) {
  await open(page, path);
  ownScripts.set(area(new URL(page.url()).pathname), new Set((await dangerousThings(page)).scripts.map(scriptKey)));
}

/// Nothing hostile became live on this page: no script ran, no handler attribute,
/// no script-like link, no frame, no script the page did not bring itself, no CSP
/// violation, no alert, and no request left 127.0.0.1.
async function assertInert(page, where) {
  const found = await dangerousThings(page);
  const own = ownScripts.get(area(new URL(page.url()).pathname));
  assert.ok(own, `no clean page of ${where}'s app was read first`);
  assert.equal(found.pwned, undefined, `${where}: a payload ran`);
  assert.deepEqual(found.handlers, [], `${where}: event-handler attributes`);
  assert.deepEqual(found.javascriptLinks, [], `${where}: javascript: links`);
  assert.deepEqual(found.scriptUrls, [], `${where}: script-like URLs`);
  assert.deepEqual(found.frames, [], `${where}: frames, objects, <base>, <meta http-equiv> or MathML`);
  assert.deepEqual(found.scripts.filter((s) => !own.has(scriptKey(s)) || /pwned/.test(s.text)), [],
    `${where}: scripts the page did not bring`);
  assert.deepEqual(found.csp, [], `${where}: Content-Security-Policy violations (something tried to run or load)`);
  assert.deepEqual(page.dialogs, [], `${where}: dialogs`);
  assert.deepEqual(page.blocked, [], `${where}: requests that tried to leave 127.0.0.1`);
}

// ---------------------------------------------------------------------------------

test('hostile text never runs as script, wherever it is shown', async () => {
  const requester = await fencedPage();
  const { page: staff, api } = await staffSession('admin@demo.selfdesk');
  // What each app loads by itself, before any hostile text exists.
  await learnOwnScripts(requester, '/kb');
  await learnOwnScripts(requester, '/tickets');
  // A ticket's page, for a ticket that does not exist: the app without any text.
  await learnOwnScripts(requester, '/tickets/SD-1999-000001');
  await learnOwnScripts(requester, '/tickets/new');
  await learnOwnScripts(requester, '/diagnose');
  await learnOwnScripts(staff, '/staff');
  await learnOwnScripts(staff, '/staff/tickets');

  const cleanup = [];
  try {
    // (f) A ticket category whose name, field labels and hints are hostile. Tickets
    // below are filed in it, so its name and labels also show on the ticket pages.
    const category = `hx-${RUN}`;
    const hints = packed('hint', 200);
    // Names and labels hold 80 characters: the payloads short enough for one.
    const short = ONE_LINE.filter((p) => p.length <= 50);
    const labels = packed('label', 80, short);
    const values = packed('field', 200);
    const fieldCount = Math.max(hints.length, values.length);
    assert.ok(fieldCount <= 8, 'the payloads fit in a category\'s eight fields');
    const fields = Array.from({ length: fieldCount }, (_, i) => ({
      key: `f${i}`, required: false,
      labels: { en: labels[i] ?? `${MARK}:label-${i}` },
      hints: hints[i] ? { en: hints[i] } : {},
    }));
    await api('PUT', `/staff/categories/${category}`, {
      slug: category, position: 900, names: { en: packed('category', 80, short)[0] }, fields,
    });
    cleanup.push(() => api('PUT', `/staff/categories/${category}`, {
      slug: category, position: 900, names: { en: `Retired test category ${RUN}` }, fields: [],
    }));

    // (e) Known incidents: hostile titles (one-line, so several) and descriptions.
    const incidents = [];
    for (const title of packed('incident', 160)) {
      const incident = await api('POST', '/staff/incidents', {
        title, description: `${MARK}:incident-text ${ONE_LINE.join(' ')}`, category: null,
      }, 201);
      incidents.push(incident);
      cleanup.push(() => api('POST', `/staff/incidents/${incident.id}/close`, { message: 'Test over.', resolve_linked: false }));
    }

    // (a) The ticket: name, subject, description, field values and a diagnostics
    // transcript, all hostile; the other subject chunks go on tickets of their own.
    const subjects = packed('subject', 160);
    const names = packed('name', 120);
    const ticket = await fileTicket({
      name: names[0], category, subject: subjects[0], description: hostileMarkdown('description'),
      fields: Object.fromEntries(values.map((v, i) => [`f${i}`, v])),
      transcript: {
        flow: 'printer', flow_version: 1, language: 'en',
        steps: ONE_LINE.map((p, i) => ({ question: `${MARK}:transcript-${i} ${p}`, answer: p, question_en: `${MARK}:transcript-${i} ${p}`, answer_en: p })),
      },
    });
    const others = [];
    for (const [i, subject] of subjects.slice(1).entries()) {
      others.push(await fileTicket({ name: names[(i + 1) % names.length], category, subject, description: `${MARK}:other-${i}` }));
    }

    // (b) The requester answers; (c) a technician answers, writes an internal note,
    // escalates with a reason, links the ticket to an incident and resolves it with a
    // summary — every text of it hostile.
    const replied = await requesterApi('POST', `/tickets/${ticket.number}/replies`, {
      token: ticket.token, json: { body: hostileMarkdown('requester-reply'), attachments: [] },
    });
    assert.equal(replied.status, 200, replied.text);
    const act = (action, data) => api('POST', `/staff/tickets/${ticket.number}/${action}`, data);
    await act('replies', { body: hostileMarkdown('staff-reply'), internal: false, attachments: [] });
    await act('replies', { body: hostileMarkdown('internal-note'), internal: true, attachments: [] });
    await act('tier', { tier: 2, reason: hostileMarkdown('tier-reason') });
    await act('incident', { incident: incidents[0].id });
    await act('status', { status: 'resolved', summary: hostileMarkdown('resolution') });

    // (d) A canned response, its title and its body hostile; the body also brings in
    // the (hostile) requester name through its placeholder.
    const canned = await api('POST', '/staff/canned-responses', {
      title: packed('canned-title', 120)[0], body: `Hello {requester_name}, about {ticket_number}:\n\n${hostileMarkdown('canned')}`, tier: null,
    }, 201);
    cleanup.push(() => api('DELETE', `/staff/canned-responses/${canned.id}`, undefined, 204));

    // (g) A help article: created, saved again as a new revision, published. Its
    // title, summary, tags, headings and body are hostile; (h) one sentence is made to
    // be the search excerpt (most hits of the search word, no full stop to end it).
    const slug = `hx-article-${RUN}`;
    const kbTree = await api('GET', '/kb/categories?lang=en');
    const kbCategory = kbTree.categories[0].children[0]?.slug ?? kbTree.categories[0].slug;
    const articleText = {
      lang: 'en', category: kbCategory,
      title: packed('article-title', 200)[0],
      summary: packed('article-summary', 500)[0],
      tags: ONE_LINE.filter((p) => p.length <= 40 && !p.includes(',')),
      body: [
        `${MARK} ${MARK} ${MARK} <img src=x onerror=__pwned=1> <svg onload=__pwned=1> <iframe srcdoc=x> ${MARK}`,
        `## ${MARK}:heading <img src=x onerror=window.__pwned=1>`,
        hostileMarkdown('article-body'),
      ].join('\n\n'),
    };
    await api('POST', '/staff/kb/articles', { slug, ...articleText, body: `${MARK}:first-draft` }, 201);
    const revision = await api('POST', `/staff/kb/articles/${slug}/revisions`, { ...articleText, base_revision: 1 }, 201);
    await api('POST', `/staff/kb/articles/${slug}/publish`, { lang: 'en', revision: revision.number });
    cleanup.push(() => api('PUT', `/staff/kb/articles/${slug}/status`, { status: 'archived' }));

    const places = [
      {
        where: 'the tracking page', page: requester, path: ticket.link,
        shows: ['subject-0', 'name-0', 'description', 'field-0', 'label-0', 'category-0', 'transcript-0',
          'requester-reply', 'staff-reply', 'tier-reason', 'resolution', 'incident-0'],
        hides: ['internal-note'],
        then: async (page) => {
          // Raw HTML is shown as the text it is, not dropped.
          const description = await page.locator('.ticket-description .prose').innerText();
          assert.ok(description.includes('<details open ontoggle=window.__pwned=1>'), 'raw HTML shows as text');
          await shot(page, 'hostile-tracking-page');
        },
      },
      ...others.map((other, i) => ({
        where: `the tracking page of subject chunk ${i + 1}`, page: requester, path: other.link, shows: [`subject-${i + 1}`],
      })),
      {
        where: 'the requester\'s "My tickets" list', page: requester, path: '/tickets', shows: subjects.map((_, i) => `subject-${i}`),
      },
      {
        where: 'the staff ticket page', page: staff, path: `/staff/tickets/${ticket.number}`,
        shows: ['subject-0', 'name-0', 'description', 'field-0', 'label-0', 'category-0', 'transcript-0',
          'requester-reply', 'staff-reply', 'internal-note', 'tier-reason', 'resolution', 'incident-0', 'canned-title-0'],
      },
      {
        where: 'a canned response in the staff reply box\'s preview', page: staff, path: `/staff/tickets/${ticket.number}`,
        shows: ['canned-title-0'],
        before: async (page) => {
          const option = page.locator('#canned option', { hasText: `${MARK}:canned-title-0` });
          await page.locator('#canned').selectOption(await option.getAttribute('value'));
          assert.match(await page.locator('#staff-reply').inputValue(), new RegExp(`${MARK}:canned`));
          await page.getByRole('button', { name: 'Preview' }).click();
          await page.locator('.reply-preview .prose:not(.plain-text)', { hasText: `${MARK}:canned` }).waitFor();
        },
        also: ['canned', 'name-0'],
      },
      {
        where: 'a help article\'s title put into a staff reply as a link, in the preview', page: staff, path: `/staff/tickets/${ticket.number}`,
        shows: ['article-title-0'],
        before: async (page) => {
          await page.locator('#kb-link').fill(MARK);
          await page.locator('.link-choices button', { hasText: `${MARK}:article-title-0` }).click();
          assert.match(await page.locator('#staff-reply').inputValue(), new RegExp(`\\(/kb/${slug}\\?lang=en\\)`));
          await page.getByRole('button', { name: 'Preview' }).click();
          await page.locator('.reply-preview .prose:not(.plain-text)', { hasText: `${MARK}:article-title-0` }).waitFor();
        },
      },
      {
        where: 'the staff queue', page: staff, path: `/staff/tickets?status=all&category=${category}`,
        shows: subjects.map((_, i) => `subject-${i}`).concat(['name-0']),
      },
      { where: 'the portal home page (known problems)', page: requester, path: '/', shows: ['incident-0', 'incident-text'].concat(incidents.map((_, i) => `incident-${i}`)) },
      { where: 'the staff incidents page', page: staff, path: '/staff/incidents', shows: incidents.map((_, i) => `incident-${i}`) },
      {
        where: 'the new-ticket form with the hostile category', page: requester, path: `/tickets/new?category=${category}`,
        shows: ['category-0'].concat(hints.map((_, i) => `hint-${i}`), fields.map((_, i) => `label-${i}`)),
      },
      { where: 'the staff categories page', page: staff, path: '/staff/categories', shows: ['category-0'] },
      {
        where: 'the help article', page: requester, path: `/kb/${slug}`,
        shows: ['article-title-0', 'article-body', 'heading'],
      },
      {
        where: 'the search results', page: requester, path: '/',
        before: async (page) => {
          await page.locator('#home-search').fill(MARK);
          await page.locator(`.search-results a[href="/kb/${slug}"]`).waitFor();
          const excerpt = await page.locator(`.search-results a[href="/kb/${slug}"] .hit-excerpt`).innerText();
          assert.ok(excerpt.includes('<img src=x onerror=__pwned=1>'), `the excerpt shows the hostile text as text: ${excerpt}`);
        },
        shows: ['article-title-0'],
      },
      { where: 'the staff article list', page: staff, path: '/staff/kb', shows: ['article-title-0'] },
      { where: 'the staff article editor and its preview', page: staff, path: `/staff/kb/${slug}`, shows: ['article-body', 'heading'] },
    ];

    for (const place of places) {
      const { page } = place;
      await open(page, place.path);
      await place.before?.(page);
      await waitForText(page, [...place.shows, ...(place.also ?? [])]);
      for (const hidden of place.hides ?? []) {
        assert.equal(await page.getByText(`${MARK}:${hidden}`).count(), 0, `${place.where} shows ${hidden}`);
      }
      await assertInert(page, place.where);
      await place.then?.(page);
    }
    assert.deepEqual([...requester.errors, ...staff.errors], []);
  } finally {
    for (const undo of cleanup.reverse()) await undo().catch((e) => console.error('cleanup:', e.message));
    for (const p of [requester, staff]) await p.context().close();
  }
});

test('ticket text shows no remote image and the browser never fetches one', async () => {
  const PIXEL = 'https://tracker.invalid/pixel.png';
  const ticket = await fileTicket({
    subject: `Remote image ${MARK}`, fields: { printer: '3rd floor' },
    description: `${MARK}:tracker Here is a screenshot:\n\n![tracker](${PIXEL})`,
  });
  const requester = await fencedPage();
  const { page: staff } = await staffSession('tier1@demo.selfdesk');
  for (const [page, path] of [[requester, ticket.link], [staff, `/staff/tickets/${ticket.number}`]]) {
    await open(page, path);
    await waitForText(page, ['tracker']);
    const link = page.locator('.ticket-description a.remote-image');
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), PIXEL);
    assert.equal(await page.locator('img[src*="tracker.invalid"]').count(), 0, `${path}: no remote img`);
    // Give a late image every chance to start loading before counting requests (the
    // page keeps its live stream open, so "network idle" never comes).
    await page.waitForTimeout(1000);
    assert.deepEqual(page.blocked, [], `${path}: nothing was requested from another host`);
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], `${path}: not even an attempt the CSP had to stop`);
  }
  for (const p of [requester, staff]) await p.context().close();
});

test('after signing in, next never leaves the staff area of this site', async () => {
  const page = await fencedPage();
  await signIn(page, 'tier1@demo.selfdesk');
  await page.getByRole('heading', { level: 1, name: /^Welcome/ }).waitFor();
  // `next` as the app reads it from the query (decoded); encoded into the link here.
  const cases = [
    ['/\t/evil.invalid', '/staff'],
    ['//evil.invalid', '/staff'],
    ['/\\evil.invalid', '/staff'],
    ['\\\\evil.invalid/staff', '/staff'],
    ['https://evil.invalid/staff', '/staff'],
    ['/kb', '/staff'],
    ['/staff/../kb', '/staff'],
    ['/staffroom', '/staff'],
    ['javascript:alert(1)', '/staff'],
    ['/staff/tickets?status=new', '/staff/tickets?status=new'],
  ];
  for (const [next, expected] of cases) {
    await page.goto(`${BASE}/staff/sign-in?next=${encodeURIComponent(next)}`);
    await page.waitForURL((url) => url.pathname !== '/staff/sign-in', { timeout: 15000 });
    await page.locator('header.site-header').waitFor();
    // A second, later navigation would show here.
    await page.waitForTimeout(300);
    assert.equal(page.url(), `${BASE}${expected}`, `next=${JSON.stringify(next)}`);
  }
  // The last one is a real page: the queue, filtered as asked.
  await page.getByRole('heading', { level: 1, name: 'Ticket queue' }).waitFor();
  assert.deepEqual(page.blocked, [], 'nothing was sent to another host');
  assert.deepEqual(page.dialogs, [], 'no script ran');
  await page.context().close();
});

test('a requester downloads an attachment and replaces a leaked link', async () => {
  const LOG = `printer spooler log ${MARK}\nerror 0x0000007e\n`;
  const upload = await requesterApi('POST', '/tickets/uploads?name=log.txt', {
    body: Buffer.from(LOG), headers: { 'content-type': 'application/octet-stream' },
  });
  assert.equal(upload.status, 201, upload.text);
  const subject = `Spooler keeps stopping ${MARK}`;
  const ticket = await fileTicket({
    subject, description: 'The log is attached.', fields: { printer: '3rd floor' }, attachments: [upload.json().id],
  });

  const page = await fencedPage();
  const requests = [];
  page.on('request', (request) => requests.push({ url: request.url(), referer: request.headers().referer ?? '' }));
  await open(page, ticket.link);
  await page.getByRole('heading', { level: 1, name: subject }).waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'log.txt' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'log.txt');
  assert.match(download.url(), /[?&]grant=/, 'the download went through a grant');
  assert.equal(await readFile(await download.path(), 'utf8'), LOG);

  // The token travelled only in headers: in no URL (the fragment of the tracking
  // link never leaves the browser, so it is left out) and in no Referer.
  const leaks = (value) => value.includes(ticket.token) || value.includes(encodeURIComponent(ticket.token));
  const withoutFragment = (url) => url.split('#')[0];
  assert.deepEqual(requests.filter((r) => leaks(withoutFragment(r.url)) || leaks(r.referer)), [], 'no request carried the token in its URL or Referer');
  assert.ok(requests.some((r) => r.url.includes('/events?grant=')), 'the live stream also went through a grant');

  // "Does someone else have your link?": a new link; the old one stops working.
  const section = page.locator('section.renew-link');
  await section.getByRole('heading', { name: 'Does someone else have your link?' }).waitFor();
  await section.getByRole('button', { name: 'Make a new link' }).click();
  const field = section.locator('#renewed-link');
  await field.waitFor();
  assert.equal(await field.getAttribute('readonly'), '');
  const newLink = await field.inputValue();
  const prefix = `${BASE}/tickets/${ticket.number}#access=`;
  assert.ok(newLink.startsWith(prefix), newLink);
  const newToken = decodeURIComponent(newLink.slice(prefix.length));
  assert.notEqual(newToken, ticket.token);
  await section.screenshot({ path: join(SHOTS, 'hardening-renewed-link.png') });

  assert.equal((await requesterApi('GET', `/tickets/${ticket.number}`, { token: ticket.token })).status, 404, 'the old link no longer opens the ticket');
  assert.equal((await requesterApi('GET', `/tickets/${ticket.number}`, { token: newToken })).status, 200);

  // In a browser that never saw the ticket: the old link says it opens nothing, the
  // new one opens the ticket.
  const stranger = await fencedPage();
  await open(stranger, ticket.link);
  await stranger.getByText('No ticket opens with this link.').waitFor();
  // From another page: a link that differs only after `#` would not load anew.
  await open(stranger, '/');
  await open(stranger, newLink.slice(BASE.length));
  await stranger.getByRole('heading', { level: 1, name: subject }).waitFor();
  assert.deepEqual([...page.blocked, ...stranger.blocked], []);
  for (const p of [page, stranger]) await p.context().close();
});
