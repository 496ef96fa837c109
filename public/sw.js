// The portal's service worker: the requester pages keep working when the network
// does not (issue 17). `cargo xtask` writes dist/sw.js from this file, filling in
// the build's version and the requester apps' files; a deploy therefore changes
// the worker, which replaces the old one and its copy of the apps at once.
//
// What it keeps:
// - the app shells: the home page, diagnostics, the ticket form, "My tickets" and a
//   ticket's page (their pages and every file they load), fetched when the worker
//   installs; a ticket's page is kept under its route, `/tickets/:number`, and
//   serves every ticket's address;
// - the help desk's data as it was last read: every published flow, the ticket
//   categories, the articles the help desk marks "available offline"
//   (GET /api/v1/offline) in every language, and every article, category list and
//   incident list a person has opened.
// Pages are asked for over the network first and the saved copy is only used when
// the network fails, so nobody sees an old page while online. The staff area is
// never touched, neither its pages nor what they ask for: it must not show stale
// data as current. Only anonymous, published data is saved (flows, articles,
// categories, incidents, the offline list), never a ticket or anything signed in:
// the ticket pages keep their own (a ticket waiting to be sent, the last state of
// the requester's tickets) in the browser's storage, with the link that opens them.

const VERSION = '__VERSION__';
const SHELL = `selfdesk-shell-${VERSION}`;
const DATA = 'selfdesk-data';
const FILES = __FILES__;
const PAGES = ['/', '/diagnose', '/tickets/new', '/tickets', '/tickets/:number'];
const LANGUAGES = ['en', 'ru', 'fr', 'nb'];
// The flows, categories and the offline list are read again at a visit once they
// are this old, so a list the help desk changed reaches devices without a deploy.
const REFRESH_AFTER_MS = 6 * 60 * 60 * 1000;
// When they were last read, kept among them (no search looks at this address).
const SAVED_AT = '/selfdesk-offline-saved-at';

// Read over the network first, the saved answer when there is none.
const SAVED_API = [
  '/api/v1/flows',
  '/api/v1/kb/categories',
  '/api/v1/kb/articles',
  '/api/v1/incidents',
  '/api/v1/tickets/categories',
  '/api/v1/offline',
];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const shell = await caches.open(SHELL);
    // Past the browser's HTTP cache: a file kept under the same name (the workers'
    // loaders) must be this build's.
    await shell.addAll(FILES.map((file) => new Request(file, { cache: 'reload' })));
    // A page that sends the browser elsewhere (a private portal's sign-in) is not
    // kept: it could not be served for its address.
    await Promise.all(PAGES.map(async (path) => {
      try {
        const answer = await fetch(new Request(path, { cache: 'reload', redirect: 'manual' }));
        if (answer.status === 200) await shell.put(path, answer);
      } catch {
        // Kept at the next install.
      }
    }));
    await saveOfflineData();
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('selfdesk-shell-') && name !== SHELL) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

/// Every published flow (list and flow, for each language's list), the ticket
/// categories and the articles marked "available offline", in every language. A
/// failure leaves what was saved.
async function saveOfflineData() {
  const data = await caches.open(DATA);
  let answered = false;
  // Each answer read back as JSON, or null: nothing of it stops the install.
  const save = async (path) => {
    try {
      const answer = await fetch(path);
      answered = true;
      if (!isSaveable(answer)) return null;
      await data.put(normalized(new URL(path, self.location.origin).href), answer.clone());
      return await answer.json();
    } catch {
      return null;
    }
  };
  const lists = await Promise.all(LANGUAGES.map((lang) => save(`/api/v1/flows?lang=${lang}`)));
  const flows = Array.isArray(lists[0]) ? lists[0] : [];
  const offline = await save('/api/v1/offline');
  await Promise.all([
    // The ticket form opens offline even if it was never opened online: a ticket
    // written there waits in the page's outbox until the network is back.
    ...LANGUAGES.map((lang) => save(`/api/v1/tickets/categories?lang=${lang}`)),
    ...flows.map((flow) => save(`/api/v1/flows/${encodeURIComponent(flow.slug)}`)),
    ...(offline?.articles ?? []).flatMap((slug) => LANGUAGES.map(
      (lang) => save(`/api/v1/kb/articles/${encodeURIComponent(slug)}?lang=${lang}`),
    )),
  ]);
  // Read again at the next visit when no network answered; after any answer (even a
  // refusal, a private portal's sign-in) not before REFRESH_AFTER_MS.
  if (answered) await data.put(SAVED_AT, new Response(String(Date.now())));
}

// The refresh under way, if one is: visits in quick succession start one.
let refreshing = null;

/// The offline data read again if it is older than REFRESH_AFTER_MS.
function refreshOfflineData() {
  refreshing ??= (async () => {
    const data = await caches.open(DATA);
    const stamp = await data.match(SAVED_AT);
    const savedAt = stamp ? Number(await stamp.text()) : 0;
    if (Date.now() - savedAt >= REFRESH_AFTER_MS) await saveOfflineData();
  })().finally(() => { refreshing = null; });
  return refreshing;
}

const isStaff = (path) => path === '/staff' || path.startsWith('/staff/');

/// An answer worth keeping: the API's own JSON, not a redirect (a captive portal's
/// page, a sign-in) nor an error.
function isSaveable(answer) {
  return answer.status === 200 && !answer.redirected
    && (answer.headers.get('content-type') ?? '').startsWith('application/json');
}

/// Whether the request comes from a staff page, whose data is never kept.
async function fromStaffPage(event) {
  const client = event.clientId ? await self.clients.get(event.clientId) : null;
  return client ? isStaff(new URL(client.url).pathname) : false;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (isStaff(url.pathname)) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(request, url));
    event.waitUntil(refreshOfflineData().catch(() => {}));
  } else if (url.pathname === '/api/v1/kb/search') {
    event.respondWith(fromStaffPage(event).then((staff) => (staff ? fetch(request) : search(request, url))));
  } else if (SAVED_API.some((prefix) => url.pathname.startsWith(prefix))) {
    event.respondWith(fromStaffPage(event).then((staff) => (staff ? fetch(request) : networkFirst(request))));
  } else if (FILES.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((saved) => saved ?? fetch(request)));
  }
});

/// The page from the network; offline, the saved page of the app the path belongs
/// to (see `selfdesk_shared::areas`), which then routes to the path itself.
async function page(request, url) {
  try {
    return await fetch(request);
  } catch (error) {
    // As `AppArea::for_path` reads it: `/tickets//` is `/tickets`.
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const app = path === '/tickets/new' ? '/tickets/new'
      : path === '/tickets' || path === '/tickets/sign-in' ? '/tickets'
        : path.startsWith('/tickets/') ? '/tickets/:number'
          : path === '/diagnose' || path.startsWith('/diagnose/') ? '/diagnose'
            : '/';
    const saved = await caches.match(app, { ignoreVary: true, ignoreSearch: true });
    if (saved) return saved;
    throw error;
  }
}

/// Over the network, saving the answer; offline, the saved answer.
async function networkFirst(request) {
  const data = await caches.open(DATA);
  const key = normalized(request.url);
  try {
    const answer = await fetch(request);
    if (isSaveable(answer)) {
      await data.put(key, answer.clone());
    } else if (answer.status === 404 || answer.status === 410) {
      // Unpublished: no longer readable offline, nor found by offline search.
      await data.delete(key);
    }
    return answer;
  } catch (error) {
    const saved = await data.match(key, { ignoreVary: true }) ?? await sameFlowVersion(data, key);
    if (saved) return saved;
    throw error;
  }
}

/// The address a saved answer is kept under: the app's requests end their query with
/// an empty `&` (gloo-net's request builder writes one), the worker's own do not.
function normalized(address) {
  const url = new URL(address);
  url.search = new URLSearchParams(url.search).toString();
  return url.href;
}

/// A walk under way asks for its flow's version (`/api/v1/flows/printer?version=3`);
/// the flow saved at install is the live version: the answer when it is that one.
async function sameFlowVersion(data, key) {
  const url = new URL(key);
  const version = url.searchParams.get('version');
  if (!url.pathname.startsWith('/api/v1/flows/') || version === null) return undefined;
  const saved = await data.match(url.pathname, { ignoreVary: true });
  if (!saved) return undefined;
  const flow = await saved.clone().json();
  return String(flow.version) === version ? saved : undefined;
}

/// Search over the network; offline, the saved articles' and flows' titles that
/// contain every word searched for, in the language asked, as a search answer
/// marked `offline` (the page then says so).
async function search(request, url) {
  try {
    return await fetch(request);
  } catch {
    const query = url.searchParams.get('q') ?? '';
    const lang = url.searchParams.get('lang') ?? 'en';
    const limit = Number(url.searchParams.get('limit') ?? 10);
    const flowLimit = Number(url.searchParams.get('flows') ?? 0);
    const any = url.searchParams.get('match') === 'any';
    const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    const has = (title) => (word) => title.toLocaleLowerCase().includes(word);
    const matches = (title) => words.length > 0
      && (any ? words.some(has(title)) : words.every(has(title)));
    const data = await caches.open(DATA);
    const hits = [];
    const seen = new Set();
    let flows = [];
    for (const key of await data.keys()) {
      const path = new URL(key.url);
      if (path.pathname === '/api/v1/flows' && path.searchParams.get('lang') === lang) {
        const list = await (await data.match(key)).json();
        flows = list.filter((flow) => matches(flow.title));
      } else if (path.pathname.startsWith('/api/v1/kb/articles/') && path.searchParams.get('lang') === lang) {
        const article = await (await data.match(key)).json();
        if (seen.has(article.slug) || !matches(article.title)) continue;
        seen.add(article.slug);
        hits.push({
          slug: article.slug,
          lang: article.lang,
          title: [{ text: article.title, hit: false }],
          excerpt: [{ text: article.summary, hit: false }],
          category: article.breadcrumbs.at(-1)?.name ?? '',
        });
      }
    }
    const body = JSON.stringify({
      query,
      hits: hits.slice(0, limit),
      flows: flows.slice(0, flowLimit),
      offline: true,
    });
    return new Response(body, { headers: { 'Content-Type': 'application/json' } });
  }
}
