// Page speed and accessibility as people meet them: Lighthouse 12 (mobile preset,
// simulated throttling, storage cleared before each page, so every page is opened as a
// new visitor would) against the release build served by `cargo xtask audit`.
//
//   SELFDESK_URL=http://127.0.0.1:PORT AUDIT_DIR=target/audit node audit.mjs
//
// Prints one row per page (performance and accessibility scores, LCP, TBT, CLS), writes
// each page's HTML report to AUDIT_DIR, and exits 1 when a page misses its goal:
// performance ≥ 95 and accessibility 100 on requester pages, ≥ 90 and 100 on the staff
// queue. AUDIT_RUNS=N opens each page N times and keeps the median performance run;
// AUDIT_PAGES="tracking page,home" audits only the pages named.
//
// The simulated phone is the same on every machine. Lighthouse's CPU slowdown is
// relative to the host: its default 4× is meant for a host whose benchmark index is
// 1500–2000 (docs/throttling.md in Lighthouse's repository), and this 2-core machine has
// measured anything from 1,200 to 2,700 between audits, which moved the same page's
// score by five points. So each run is gathered first, and then judged with the
// slowdown that takes the host's index to a phone of index PHONE_INDEX (4× at 1750, the
// middle of the bracket the default is meant for): slower on a fast host, faster on a
// slow one. Lighthouse measures the index with a one-second benchmark on a blank page
// before each load, a noisy sample (1300–2128 within one audit), so the host's index is
// the median of every sample of this audit so far, WARMUP of them taken first. Network
// throttling (150 ms, 1.6 Mbps) is absolute and stays as it is.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// Lighthouse's own two steps (`lighthouse()` runs both), pinned at 12.2.3 in package.json.
import { navigationGather } from 'lighthouse/core/gather/navigation-runner.js';
import { Runner } from 'lighthouse/core/runner.js';
import * as chromeLauncher from 'chrome-launcher';

const BASE = process.env.SELFDESK_URL ?? 'http://127.0.0.1:8080';
const OUT = process.env.AUDIT_DIR ?? 'target/audit';
const RUNS = Math.max(1, Number(process.env.AUDIT_RUNS ?? 1));
const PHONE_INDEX = 1750 / 4;
const WARMUP = 3;

async function api(path, init = {}) {
  const response = await fetch(BASE + path, {
    ...init,
    headers: { 'content-type': 'application/json', origin: BASE, ...(init.headers ?? {}) },
  });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

/// The pages to audit, found on the running portal: an article and a ticket exist on
/// every demo portal (the ticket is filed here), and the queue is opened signed in.
async function pages() {
  const articles = await (await api('/api/v1/kb/articles?lang=en')).json();
  const article = articles.articles?.[0]?.slug;
  if (!article) throw new Error('the portal has no published article to audit');
  const filed = await (await api('/api/v1/tickets', {
    method: 'POST',
    headers: { 'Idempotency-Key': `audit-${Date.now()}` },
    body: JSON.stringify({
      name: 'Audit Visitor', email: 'audit@example.org', category: 'network',
      subject: 'Wi-Fi drops in meeting room 4', description: 'The Wi-Fi drops every few minutes.',
      impact: 'team', urgency: 'slowed', language: 'en',
    }),
  })).json();
  const signIn = await api('/api/v1/auth/sign-in', {
    method: 'POST',
    body: JSON.stringify({ email: 'tier1@demo.selfdesk', password: 'selfdesk-demo' }),
  });
  const cookie = signIn.headers.get('set-cookie').split(';')[0];
  return [
    { name: 'home', path: '/', goal: 95 },
    { name: 'article', path: `/kb/${article}`, goal: 95 },
    { name: 'flow step', path: '/diagnose/no-internet', goal: 95 },
    { name: 'new ticket', path: '/tickets/new', goal: 95 },
    { name: 'tracking page', path: `/tickets/${filed.number}#access=${encodeURIComponent(filed.access_token)}`, goal: 95 },
    { name: 'staff queue', path: '/staff/tickets', goal: 90, headers: { Cookie: cookie } },
  ];
}

function figures(lhr) {
  const audit = (id) => lhr.audits[id]?.numericValue ?? NaN;
  return {
    performance: Math.round((lhr.categories.performance.score ?? 0) * 100),
    accessibility: Math.round((lhr.categories.accessibility.score ?? 0) * 100),
    lcp: audit('largest-contentful-paint') / 1000,
    tbt: audit('total-blocking-time'),
    cls: audit('cumulative-layout-shift'),
    failedA11y: Object.values(lhr.audits)
      .filter((a) => lhr.categories.accessibility.auditRefs.some((r) => r.id === a.id && r.weight > 0) && a.score === 0)
      .map((a) => a.id),
  };
}

/// Every benchmark index Lighthouse measured in this audit, and their median.
const samples = [];
function hostIndex() {
  const sorted = [...samples].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

/// A gathered load (unthrottled, as simulated throttling always records) whose index
/// joins the samples. `lighthouse()` is this and `Runner.audit`.
async function gather(port, url, extraHeaders) {
  const flags = { port, output: 'html', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] };
  if (extraHeaders) flags.extraHeaders = extraHeaders;
  const gathered = await navigationGather(undefined, url, { flags });
  const index = gathered.artifacts.BenchmarkIndex;
  if (!(Number.isFinite(index) && index > 0)) throw new Error(`Lighthouse measured no benchmark index (${index})`);
  samples.push(index);
  return gathered;
}

/// One Lighthouse run judged with the slowdown for the host's index. The artifacts'
/// settings are the run's settings (one object), which the audit step checks against
/// its own; only the audit step reads the slowdown under simulated throttling.
async function calibratedRun(port, url, extraHeaders) {
  const { artifacts, runnerOptions } = await gather(port, url, extraHeaders);
  const settings = runnerOptions.resolvedConfig.settings;
  if (artifacts.settings !== settings) throw new Error('Lighthouse keeps the gathered settings apart: see calibratedRun');
  settings.throttling.cpuSlowdownMultiplier = Math.round((hostIndex() / PHONE_INDEX) * 100) / 100;
  const result = await Runner.audit(artifacts, runnerOptions);
  result.hostIndex = hostIndex();
  return result;
}

async function main() {
  await mkdir(OUT, { recursive: true });
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const rows = [];
  try {
    const only = process.env.AUDIT_PAGES?.split(',').map((name) => name.trim());
    const all = await pages();
    const list = all.filter((page) => !only || only.includes(page.name));
    if (list.length === 0) {
      throw new Error(`AUDIT_PAGES names no page; the pages are: ${all.map((page) => page.name).join(', ')}`);
    }
    for (let i = 0; i < WARMUP; i++) await gather(chrome.port, BASE + list[0].path);
    for (const page of list) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        runs.push(await calibratedRun(chrome.port, BASE + page.path, page.headers));
      }
      runs.sort((a, b) => a.lhr.categories.performance.score - b.lhr.categories.performance.score);
      const median = runs[Math.floor(runs.length / 2)];
      const file = `${page.name.replace(/\W+/g, '-')}.html`;
      await writeFile(join(OUT, file), median.report);
      rows.push({ ...page, ...figures(median.lhr), file, index: median.hostIndex,
        slowdown: median.lhr.configSettings.throttling.cpuSlowdownMultiplier });
    }
  } finally {
    await chrome.kill();
  }

  const pad = (s, n) => String(s).padEnd(n);
  console.log(`\n${pad('page', 16)}${pad('perf', 7)}${pad('a11y', 7)}${pad('LCP', 9)}${pad('TBT', 9)}${pad('CLS', 8)}${pad('host, CPU', 14)}goal`);
  let missed = 0;
  for (const r of rows) {
    const ok = r.performance >= r.goal && r.accessibility === 100;
    if (!ok) missed += 1;
    console.log(
      `${pad(r.name, 16)}${pad(r.performance, 7)}${pad(r.accessibility, 7)}${pad(`${r.lcp.toFixed(2)} s`, 9)}`
      + `${pad(`${Math.round(r.tbt)} ms`, 9)}${pad(r.cls.toFixed(3), 8)}${pad(`${Math.round(r.index)}, ${r.slowdown}×`, 14)}≥ ${r.goal} / 100 ${ok ? 'met' : 'MISSED'}`
      + (r.failedA11y.length ? `  (accessibility: ${r.failedA11y.join(', ')})` : ''),
    );
  }
  console.log(`\nReports: ${OUT}/*.html`);
  if (missed) {
    console.error(`${missed} page(s) missed their goal`);
    process.exit(1);
  }
}

await main();
