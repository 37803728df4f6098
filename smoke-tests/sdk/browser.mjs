// Drives headless Chromium (Debian's, through playwright-core) over shop pages that use analytics.js and RudderStack's
// JavaScript SDK, served from origins other than the intake's. Each visit identifies a user, views the page "Landing"
// (category "Docs") from an Instagram campaign and views a product priced 1,250.
//
//   INTAKE=http://127.0.0.1:8081 WRITE_KEY=wk_web_dev RUN=<unique id> node browser.mjs
//
// Prints one JSON line: per visit, the user it identified and what the intake answered; the smoke test then looks
// for each user's events in their profile. Exits non-zero when a visit's calls were not all answered 2xx.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const intake = process.env.INTAKE;
const writeKey = process.env.WRITE_KEY;
const run = process.env.RUN;
const campaign = 'utm_source=instagram&utm_campaign=kis&utm_medium=social';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Serves pages/ and the libraries' files from node_modules/ on host, port chosen by the system; answers its origin. */
function serve(host) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript' };
  const server = http.createServer((request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const file = urlPath.startsWith('/node_modules/') ? path.join(here, urlPath) : path.join(here, 'pages', urlPath);
    if (!file.startsWith(here + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, host, () => resolve({ server, origin: `http://${host}:${server.address().port}` })));
}

/**
 * Opens a page, makes the calls a shop page makes, and waits until the intake answered `expected` calls; with `leave`
 * it navigates away instead: batched events and beacons are sent as the page unloads.
 */
async function visit(browser, origin, page, mode, expected, leave) {
  const user = { userId: `${page}-${mode}-${run}`, email: `${page}.${mode}.${run}@example.com` };
  const context = await browser.newContext({ locale: 'tr-TR' });
  const answered = [];
  const failed = [];
  context.on('requestfinished', async (request) => {
    if (request.url().startsWith(intake) && request.method() === 'POST') {
      const response = await request.response();
      answered.push(`${new URL(request.url()).pathname} ${response ? response.status() : 'none'}`);
    }
  });
  context.on('requestfailed', (request) => {
    if (request.url().startsWith(intake)) {
      failed.push(`${request.method()} ${new URL(request.url()).pathname}: ${request.failure()?.errorText}`);
    }
  });
  const tab = await context.newPage();
  const url = `${origin}/${page}.html?mode=${mode}&writeKey=${writeKey}&intake=${encodeURIComponent(intake)}&${campaign}`;
  await tab.goto(url);
  await tab.waitForFunction(() => window.__ready || window.__error, null, { timeout: 20000 }).catch(() => {});
  await tab.evaluate((who) => {
    const library = window.analytics ?? window.rudder;
    library.identify(who.userId, { email: who.email, firstName: 'Deniz' });
    library.page('Docs', 'Landing', { foo: 1 });
    library.track('product_view', { sku: 'TYRE-1', price: 1250, currency: 'TRY' });
  }, user);
  if (leave) {
    await sleep(500);
    await tab.click('#away');
  }
  if (leave) {
    // What a page sends as it unloads (a keepalive fetch, a beacon) is not followed to its answer here: the smoke
    // test finds it in the profile.
    await tab.waitForURL('**/away.html');
    await sleep(2000);
  } else {
    for (let waited = 0; waited < 20000 && answered.length + failed.length < expected; waited += 100) {
      await sleep(100);
    }
  }
  await context.close();
  return { ...user, page, mode, origin, answered, failed };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run',
    '--disable-component-update', '--disable-sync'],
});
const allowed = await serve('127.0.0.1');
// 127.0.0.2 is this machine too, but another origin, which the intake's sources do not allow.
const refused = await serve('127.0.0.2');
let visits;
try {
  visits = [
    await visit(browser, allowed.origin, 'segment', 'standard', 3, false),
    await visit(browser, allowed.origin, 'segment', 'batching', 1, true),
    await visit(browser, allowed.origin, 'rudder', 'xhr', 3, false),
    await visit(browser, allowed.origin, 'rudder', 'beacon', 1, true),
    await visit(browser, refused.origin, 'segment', 'inline', 1, false),
  ];
} finally {
  await browser.close();
  allowed.server.close();
  refused.server.close();
}
console.log(JSON.stringify({ visits }));
const incomplete = visits.filter((v) => v.origin === allowed.origin && (v.failed.length > 0 || v.answered.some((a) => !/ 2\d\d$/.test(a))));
process.exit(incomplete.length === 0 ? 0 : 1);
