// The requester's whole path with the keyboard alone (Tab, Shift+Tab, Enter, arrows, typing):
// search on the home page, open an article, go to guided diagnostics, walk a flow to
// its ticket end, fill the form, file it, and reply on the tracking page. At every
// Tab the focused element must show its focus, and after each navigation within an
// app focus must land on the new page's heading.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, open, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// What has focus, and whether it shows it (a `:focus-visible` outline or ring).
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: 'BODY' };
  const style = getComputedStyle(el);
  return {
    tag: el.tagName,
    id: el.id,
    type: el.getAttribute('type') ?? '',
    href: el.getAttribute('href') ?? '',
    text: (el.textContent ?? '').trim().replace(/\s+/g, ' '),
    label: (el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? '').trim(),
    shown: el.matches(':focus-visible')
      && ((style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none'),
  };
});

/// Presses Tab (or Shift+Tab) until `wanted` has focus, checking that every element
/// on the way shows its focus.
async function tabTo(page, wanted, what, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (now.tag === 'BODY') continue;
    assert.ok(now.shown, `focus is not visible on ${JSON.stringify(now)} (${page.url()})`);
    if (wanted(now)) return now;
  }
  assert.fail(`Tab never reached ${what} on ${page.url()}`);
}

async function headingHasFocus(page, text) {
  await page.waitForFunction(
    (t) => document.activeElement?.tagName === 'H1' && document.activeElement.textContent.includes(t),
    text,
    { timeout: 10000 },
  );
}

test('a requester goes from a search to a filed ticket and a reply with the keyboard alone', async () => {
  const page = await newPage(browser);
  await open(page, '/');
  await page.getByRole('heading', { level: 1 }).waitFor();

  // Search on the home page, then open the first article found.
  await tabTo(page, (f) => f.tag === 'INPUT' && f.type === 'search', 'the search box');
  await page.keyboard.type('printer', { delay: 30 });
  await page.locator('.search-results a[href^="/kb/"]').first().waitFor();
  // The results are the box's options: the arrow keys move among them (guided
  // diagnostics come first), Enter opens the one chosen.
  let article;
  for (let i = 0; i < 10 && !article?.startsWith('/kb/'); i += 1) {
    await page.keyboard.press('ArrowDown');
    article = await page.evaluate(() => document.querySelector('.search-results a[aria-selected="true"]')?.getAttribute('href'));
  }
  assert.match(article, /^\/kb\//);
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname === article);
  await headingHasFocus(page, '');

  // Back up to the navigation, to guided diagnostics.
  await tabTo(page, (f) => f.tag === 'A' && f.text === 'Diagnose a problem', 'the navigation', { back: true });
  await page.keyboard.press('Enter');
  // Another app: the page loads afresh, and Tab starts from the top.
  await page.locator('main a[href="/diagnose/printer"]').waitFor();

  // The printer flow: its steps are answered with Tab and Enter.
  await tabTo(page, (f) => f.tag === 'A' && f.href === '/diagnose/printer', 'the printer flow');
  await page.keyboard.press('Enter');
  await page.locator('#walk-question').filter({ hasText: 'Which computer are you printing from?' }).waitFor();
  await headingHasFocus(page, 'printer');
  for (const [answer, next] of [
    ['Desktop computer', 'Can you open websites on this computer?'],
    ['Yes, websites open', 'Turn the printer off'],
    ['Still not working', null],
    ['This did not help', null],
  ]) {
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === answer, `the answer “${answer}”`);
    await page.keyboard.press('Enter');
    if (next) await page.locator('#walk-question').filter({ hasText: next }).waitFor();
    else if (answer === 'Still not working') await page.locator('.walk-article').waitFor();
  }

  // The form, prefilled from the walk: the rest is typed.
  await page.waitForURL(/\/tickets\/new/);
  await page.locator('#ticket-form').waitFor();
  const fields = [
    ['Your name', 'Ada Lovelace'],
    ['Email address', 'ada@example.org'],
    ['Printer name or location', '3rd floor, by the kitchen'],
    ['Description', 'Every page comes out blank since this morning.'],
  ];
  for (const [label, value] of fields) {
    await tabTo(page, (f) => f.label.startsWith(label), `the field “${label}”`);
    await page.keyboard.type(value);
  }
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Send ticket', 'Send ticket');
  await shot(page, 'keyboard-form');
  await page.keyboard.press('Enter');

  // The tracking page: reply from the keyboard too.
  await page.waitForURL(/\/tickets\/SD-\d{4}-\d{6}/);
  await page.getByLabel('Write to the technician').waitFor();
  await tabTo(page, (f) => f.label.startsWith('Write to the technician'), 'the reply box');
  await page.keyboard.type('It is the printer by the kitchen.');
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Send', 'Send');
  await page.keyboard.press('Enter');
  await page.locator('.timeline-entry').getByText('It is the printer by the kitchen.').waitFor();
  assert.equal(await page.getByLabel('Write to the technician').inputValue(), '');
  await shot(page, 'keyboard-replied');
  assert.deepEqual(page.errors, []);
});
