// Shared set-up for the browser tests: Debian's Chromium driven by playwright-core
// (Playwright's own browser download cannot run on these machines).
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const BASE = process.env.SELFDESK_URL ?? 'http://127.0.0.1:8080';
const SHOTS = process.env.SCREENSHOT_DIR ?? 'artifacts';
mkdirSync(SHOTS, { recursive: true });

export const DEMO_PASSWORD = 'selfdesk-demo';

export async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...extraArgs,
    ],
  });
}

/// A page in a fresh context (no cookies), in the given browser language. The portal's service worker is blocked unless
/// `serviceWorkers: 'allow'` is given: requests it answers would pass by
/// `page.route`, and each test would download the apps' offline copy.
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({
    locale: 'en-US', viewport: { width: 1280, height: 800 }, serviceWorkers: 'block', ...options,
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.errors = errors;
  return page;
}

/// Waits until the app has rendered its frame (the wasm has started) and the page in
/// it, which is built in a task after the frame (`Frame` in src/app.rs).
export async function open(page, path) {
  await page.goto(BASE + path);
  await page.locator('header.site-header').waitFor();
  await page.locator('main#main > *').first().waitFor();
}

export async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

export async function signIn(page, email, password = DEMO_PASSWORD) {
  await open(page, '/staff/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Signed in, the page goes to the staff home, which is another app (`ManageApp`): a
  // full page load. Wait for it, so the test's next navigation does not cut it short.
  if (password === DEMO_PASSWORD) {
    await page.waitForFunction(() => [...document.scripts].some((s) => s.textContent.includes('/manage-app/')));
    await page.waitForLoadState('load');
  }
}

// axe-core's script, put into a page by `accessibilityProblems`.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/// What axe-core finds wrong on the page as it is now (WCAG 2.2 A and AA, and axe's
/// best practices), one "rule: elements" line per problem, so a failed assertion says
/// what to fix. Evaluated through the driver, so the portal's CSP does not stop it.
export async function accessibilityProblems(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => (await window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  })).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  return violations;
}

/// Whether the page scrolls sideways (it never should, down to 320 px).
export async function scrollsSideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}
