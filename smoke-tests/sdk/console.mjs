// Drives the web console in Debian's Chromium (through playwright-core) as people of each role would: signs in at the
// identity provider, builds a segment by clicking in the visual builder, saves and evaluates it, and opens a customer's
// page; connects a destination, syncs the segment and exports it; checks every page with axe-core (WCAG 2.1 AA). Takes
// screenshots of the main pages.
//
//   CONSOLE=http://127.0.0.1:18083 CITY=<a city only this run's customers live in> EMAIL=<one of them> NAME=<segment name>
//   INTAKE=http://127.0.0.1:18081 RUN=<unique id> SHOTS=<directory> node console.mjs
//
// Prints one JSON line with what each page showed; the smoke test (ConsoleIT) compares it with the APIs.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const axe = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const base = process.env.CONSOLE;
const shots = process.env.SHOTS;
fs.mkdirSync(shots, { recursive: true });
const result = { accessibility: {} };

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

/**
 * Checks the page with axe-core against WCAG 2.1 A and AA (labels, names, contrast, keyboard reachability...) and
 * keeps the rules it broke, by page.
 */
async function audit(page, name) {
  await page.addScriptTag({ path: axe });
  const found = await page.evaluate(async () => {
    const report = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return report.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  result.accessibility[name] = found;
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
  await audit(marketer, 'builder');

  await Promise.all([marketer.waitForURL(/\/console\/segments\/[0-9a-f-]{36}$/), marketer.click('#save-segment')]);
  result.segmentId = marketer.url().split('/').pop();
  await Promise.all([marketer.waitForURL(marketer.url()), marketer.click('#evaluate-segment')]);
  await marketer.waitForSelector('#segment-size[data-size]:not([data-size=""])');
  result.evaluatedSize = await marketer.getAttribute('#segment-size', 'data-size');
  result.chart = await marketer.locator('svg polyline').count();
  await marketer.screenshot({ path: `${shots}/console-segment.png`, fullPage: true });
  await audit(marketer, 'segment');
  await marketer.goto(`${base}/console/segments`);
  result.listed = await marketer.textContent(`tr[data-segment-id="${result.segmentId}"] td[data-size]`);
  await marketer.screenshot({ path: `${shots}/console-segments.png`, fullPage: true });
  await audit(marketer, 'segments');

  // The marketer finds a customer by email: personal data masked, amounts in Turkish.
  await marketer.goto(`${base}/console/profiles?q=${encodeURIComponent(process.env.EMAIL)}`);
  await Promise.all([marketer.waitForURL(/\/console\/profiles\/[0-9a-f-]{36}$/), marketer.click('#profile-results tbody a')]);
  result.customerId = marketer.url().split('/').pop();
  result.marketerEmail = (await marketer.textContent('#customer-email')).trim();
  result.maskedNote = await marketer.locator('#masked-note').count();
  result.marketerAmount = (await marketer.textContent('#customer-timeline tr.purchase td.num')).trim();
  result.marketerSegments = await marketer.locator('#customer-segments a').allTextContents();
  await marketer.screenshot({ path: `${shots}/console-customer.png`, fullPage: true });
  await audit(marketer, 'customer');

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

  // The owner makes a write key for the web and sees its snippet; an event sent over HTTP with it shows in the
  // live debugger while the page is open.
  await owner.goto(`${base}/console/sources`);
  await owner.fill('#key-name', `Refused ${process.env.RUN}`);
  await owner.fill('#key-source', 'web');
  await owner.fill('#key-rate', 'lots');
  await Promise.all([owner.waitForSelector('#page-problem'), owner.click('#make-key')]);
  result.keyRefusal = (await owner.textContent('#page-problem')).trim();
  await owner.fill('#key-name', `Console ${process.env.RUN}`);
  await owner.fill('#key-source', 'web');
  await Promise.all([owner.waitForSelector('#new-key-value'), owner.click('#make-key')]);
  result.newKey = (await owner.textContent('#new-key-value')).trim();
  result.snippetHasKey = (await owner.textContent('#snippet')).includes(result.newKey);
  await owner.screenshot({ path: `${shots}/console-sources.png`, fullPage: true });
  await audit(owner, 'sources');
  await owner.goto(`${base}/console/events?source=web`);
  const debugEvent = `console_debug_${process.env.RUN}`;
  const sent = await fetch(`${process.env.INTAKE}/v1/track`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`${result.newKey}:`).toString('base64')}` },
    body: JSON.stringify({ userId: `debugger-${process.env.RUN}`, event: debugEvent, properties: { price: 99.5 } }),
  });
  result.debugSent = sent.status;
  await owner.waitForSelector(`#event-rows li:has-text("${debugEvent}")`, { timeout: 30000 });
  result.debuggerShows = await owner.locator(`#event-rows li:has-text("${debugEvent}")`).count();
  await owner.click(`#event-rows li:has-text("${debugEvent}") summary`);
  result.debuggerPayload = await owner.textContent(`#event-rows li:has-text("${debugEvent}") pre`);
  await owner.screenshot({ path: `${shots}/console-events.png`, fullPage: true });
  await audit(owner, 'events');

  // The owner connects Meta (the suite's stub of its API) and tests the connection.
  await owner.goto(`${base}/console/destinations`);
  await owner.fill('#destination-name', `Meta ${process.env.RUN}`);
  await owner.selectOption('#destination-kind', 'META');
  await owner.fill('#destination-account', 'act_424242');
  await owner.fill('#destination-credential', 'console-token');
  await Promise.all([owner.waitForResponse((r) => r.url().endsWith('/console/destinations') && r.request().method() === 'POST'),
    owner.click('#create-destination')]);
  const destinationRow = owner.locator(`#destination-list tr:has-text("Meta ${process.env.RUN}")`);
  await destinationRow.waitFor();
  result.destinationId = await destinationRow.getAttribute('data-destination-id');
  await destinationRow.locator('button').click();
  await owner.waitForSelector('.test-result');
  result.testResult = (await owner.textContent('.test-result')).trim();
  await audit(owner, 'destinations');

  // The marketer syncs the segment to it and watches the first run complete.
  await marketer.goto(`${base}/console/destinations`);
  await marketer.selectOption('#sync-segment', result.segmentId);
  await marketer.selectOption('#sync-destination', result.destinationId);
  await Promise.all([marketer.waitForURL(/\/console\/syncs\/[0-9a-f-]{36}$/), marketer.click('#create-sync')]);
  result.syncId = marketer.url().split('/').pop();
  await marketer.waitForSelector('article.run[data-status="SUCCEEDED"], article.run[data-status="FAILED"], article.run[data-status="PARTIAL"]',
    { timeout: 60000 });
  result.runStatus = await marketer.getAttribute('article.run', 'data-status');
  result.runAdded = (await marketer.textContent('article.run dd[data-count="added"]')).trim();
  result.runCoverage = await marketer.locator('article.run table.coverage tbody tr').count();
  await marketer.screenshot({ path: `${shots}/console-sync.png`, fullPage: true });
  await audit(marketer, 'sync');

  // The marketer exports the segment for Meta and downloads the file.
  await marketer.goto(`${base}/console/exports`);
  await marketer.selectOption('#export-segment', result.segmentId);
  await marketer.selectOption('#export-platform', 'META');
  await Promise.all([marketer.waitForURL(`${base}/console/exports`), marketer.click('#start-export')]);
  // Other jobs may be listed (newest first); this one is the row of this segment. The list is redrawn every 2 s while
  // a job runs, so the link is clicked once nothing runs any more.
  const ours = `#export-list tr[data-status="SUCCEEDED"]:has-text("${process.env.NAME}") a.download`;
  await marketer.waitForSelector(ours, { timeout: 60000 });
  await marketer.waitForSelector('#export-jobs:not([hx-get])', { timeout: 20000 }).catch(() => {});
  const [download] = await Promise.all([marketer.waitForEvent('download'), marketer.click(ours)]);
  result.downloadName = download.suggestedFilename();
  result.downloadLines = fs.readFileSync(await download.path(), 'utf8').trim().split('\n').length;
  await marketer.screenshot({ path: `${shots}/console-exports.png`, fullPage: true });
  await audit(marketer, 'exports');
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
