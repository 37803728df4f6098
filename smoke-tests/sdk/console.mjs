// Drives the web console in Debian's Chromium (through playwright-core) as people of each role would: signs in at the
// identity provider, builds a segment by clicking in the visual builder, saves and evaluates it, and opens a customer's
// page. Takes screenshots of the main pages.
//
//   CONSOLE=http://127.0.0.1:18083 CITY=<a city only this run's customers live in> EMAIL=<one of them> NAME=<segment name>
//   SHOTS=<directory> node console.mjs
//
// Prints one JSON line with what each page showed; the smoke test (ConsoleIT) compares it with the APIs.
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const base = process.env.CONSOLE;
const shots = process.env.SHOTS;
fs.mkdirSync(shots, { recursive: true });
const result = {};

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});

/** A new browser of a person of that name (the local realm's password is the name), signed in at the identity provider. */
async function signIn(user, locale) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/console/segments`);
  await page.fill('#username', user);
  await page.fill('#password', user);
  await Promise.all([page.waitForURL(`${base}/console/**`), page.click('#kc-login')]);
  return page;
}

/** One edit in the builder: does it, then waits for the builder to answer and htmx to put the answer in place. */
async function edit(page, action) {
  await Promise.all([
    page.waitForResponse((response) => response.url().endsWith('/console/builder') && response.status() === 200),
    action(),
  ]);
  await page.waitForFunction(() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping'));
}

try {
  // A marketer, in Turkish: build "customers of CITY who viewed a product over 1,000 in the last 30 days and have an
  // email or a phone" by clicking, then save and evaluate it.
  const marketer = await signIn('marketer', 'tr-TR');
  result.language = await marketer.getAttribute('html', 'lang');
  await marketer.goto(`${base}/console/segments/new`);
  await edit(marketer, () => marketer.fill('#n-0-value', process.env.CITY));
  await edit(marketer, () => marketer.click('#n-add-condition'));
  await edit(marketer, () => marketer.selectOption('#n-1-type', 'event'));
  await edit(marketer, () => marketer.fill('#n-1-event', 'product_view'));
  await edit(marketer, () => marketer.selectOption('#n-1-operator', 'gte'));
  await edit(marketer, () => marketer.selectOption('#n-1-window', 'period'));
  await edit(marketer, () => marketer.click('#n-1-add-filter'));
  await edit(marketer, () => marketer.fill('#n-1-f0-field', 'properties.price'));
  await edit(marketer, () => marketer.selectOption('#n-1-f0-operator', 'gt'));
  await edit(marketer, () => marketer.fill('#n-1-f0-value', '1000'));
  await edit(marketer, () => marketer.click('#n-add-group'));
  await edit(marketer, () => marketer.selectOption('#n-2-0-field', 'email'));
  await edit(marketer, () => marketer.click('#n-2-add-condition'));
  await edit(marketer, () => marketer.selectOption('#n-2-1-field', 'phone'));
  await edit(marketer, () => marketer.fill('#segment-name', process.env.NAME));
  result.problems = await marketer.locator('.problem, .problems li').allTextContents();
  result.liveCount = await marketer.getAttribute('#live-count', 'data-size');
  result.liveText = await marketer.textContent('#live-count');
  result.sql = await marketer.textContent('#preview-sql');
  await marketer.screenshot({ path: `${shots}/console-builder.png`, fullPage: true });

  await Promise.all([marketer.waitForURL(/\/console\/segments\/[0-9a-f-]{36}$/), marketer.click('#save-segment')]);
  result.segmentId = marketer.url().split('/').pop();
  await Promise.all([marketer.waitForURL(marketer.url()), marketer.click('#evaluate-segment')]);
  await marketer.waitForSelector('#segment-size[data-size]:not([data-size=""])');
  result.evaluatedSize = await marketer.getAttribute('#segment-size', 'data-size');
  result.chart = await marketer.locator('svg polyline').count();
  await marketer.screenshot({ path: `${shots}/console-segment.png`, fullPage: true });
  await marketer.goto(`${base}/console/segments`);
  result.listed = await marketer.textContent(`tr[data-segment-id="${result.segmentId}"] td[data-size]`);
  await marketer.screenshot({ path: `${shots}/console-segments.png`, fullPage: true });

  // The marketer finds a customer by email: personal data masked, amounts in Turkish.
  await marketer.goto(`${base}/console/profiles?q=${encodeURIComponent(process.env.EMAIL)}`);
  await Promise.all([marketer.waitForURL(/\/console\/profiles\/[0-9a-f-]{36}$/), marketer.click('#profile-results tbody a')]);
  result.customerId = marketer.url().split('/').pop();
  result.marketerEmail = (await marketer.textContent('#customer-email')).trim();
  result.maskedNote = await marketer.locator('#masked-note').count();
  result.marketerAmount = (await marketer.textContent('#customer-timeline tr.purchase td.num')).trim();
  result.marketerSegments = await marketer.locator('#customer-segments a').allTextContents();
  await marketer.screenshot({ path: `${shots}/console-customer.png`, fullPage: true });

  // The owner (admin and pii-reader), in English, reads the same customer unmasked.
  const owner = await signIn('owner', 'en-GB');
  await owner.goto(`${base}/console/profiles/${result.customerId}`);
  result.ownerEmail = (await owner.textContent('#customer-email')).trim();
  result.ownerMaskedNote = await owner.locator('#masked-note').count();
  result.ownerAmount = (await owner.textContent('#customer-timeline tr.purchase td.num')).trim();

  // A viewer may see segments but not customers, and cannot build.
  const viewer = await signIn('viewer', 'en-GB');
  result.viewerNewSegmentLinks = await viewer.locator('a[href="/console/segments/new"]').count();
  await viewer.goto(`${base}/console/profiles/${result.customerId}`);
  result.viewerProblem = (await viewer.textContent('#page-problem')).trim();
  result.viewerEmail = await viewer.locator('#customer-email').count();
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
