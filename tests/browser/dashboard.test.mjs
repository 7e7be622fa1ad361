// Browser tests of the dyad dashboard in Debian's headless Chromium (playwright-core drives
// /usr/bin/chromium; no browser is ever downloaded). `run.sh` builds the database, starts
// `dyad serve` and passes its address in DYAD_URL. Screenshots go to tests/browser/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = process.env.DYAD_URL || 'http://127.0.0.1:8080';
const ARTIFACTS = process.env.DYAD_ARTIFACTS ?? join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let context;
let profile;
const problems = [];

async function json(path) {
  const response = await fetch(BASE + path);
  assert.equal(response.status, 200, `${path} answered ${response.status}`);
  return response.json();
}

async function openPage(viewport = { width: 1366, height: 900 }) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return page;
}

async function ready(page) {
  await page.waitForSelector('body[data-state=ready]', { timeout: 20000 });
}

async function applyFilters(page, values) {
  const before = await page.getAttribute('body', 'data-total');
  for (const [selector, value] of Object.entries(values)) {
    if (selector.startsWith('select')) await page.selectOption(selector.slice(6), value);
    else await page.fill(selector, value);
  }
  await page.click('#filters button[type=submit]');
  await page.waitForFunction(
    (previous) => document.body.dataset.state === 'ready' && document.body.dataset.total !== previous,
    before, { timeout: 20000 });
  return Number(await page.getAttribute('body', 'data-total'));
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Wait for the server (run.sh started it a moment ago).
  for (let i = 0; ; i += 1) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) break;
    } catch { /* not up yet */ }
    if (i > 150) throw new Error(`no server at ${BASE}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  profile = mkdtempSync(join(tmpdir(), 'dyad-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (context) await context.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('the map has markers where the events are', async () => {
  const page = await openPage();
  await page.goto(`${BASE}/`);
  await ready(page);
  const markers = await page.$$eval('#map circle.marker', (circles) => circles.map((c) => ({
    x: Number(c.getAttribute('cx')), y: Number(c.getAttribute('cy')),
    count: Number(c.dataset.count), country: c.dataset.country, place: c.dataset.place,
  })));
  assert.ok(markers.length > 0, 'no marker on the map');
  assert.ok(markers.every((m) => m.count > 0), 'a marker with no events');
  // Afghanistan (Kabul) projected with the page's own projection, in SVG units.
  const [ax, ay] = await page.evaluate(() => window.dyad.project(69.17, 34.53));
  const near = markers.filter((m) => Math.hypot(m.x - ax, m.y - ay) < 40);
  assert.ok(near.length > 0, `no marker near Afghanistan at (${ax.toFixed(0)}, ${ay.toFixed(0)})`);
  assert.ok(near.some((m) => m.country === 'AF'), `markers near Afghanistan: ${JSON.stringify(near)}`);
  // The page's total agrees with the API.
  const api = await json('/api/events?limit=1');
  assert.equal(Number(await page.getAttribute('body', 'data-total')), api.total);
  assert.ok(await page.$$eval('#timeline rect', (r) => r.length) > 0, 'empty timeline');
  assert.ok(await page.$$eval('#network .node', (n) => n.length) > 1, 'empty network');
  await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  await page.close();
});

test('a filter changes the count, the table and the map', async () => {
  const page = await openPage();
  await page.goto(`${BASE}/`);
  await ready(page);
  const all = Number(await page.getAttribute('body', 'data-total'));
  const filtered = await applyFilters(page, { '#f-cameo': '19' });
  assert.ok(filtered > 0 && filtered < all, `CAMEO 19: ${filtered} of ${all}`);
  const api = await json('/api/events?cameo=19&limit=1');
  assert.equal(filtered, api.total);
  const codes = await page.$$eval('#events tbody tr .pill', (pills) => pills.map((p) => p.textContent));
  assert.ok(codes.length > 0 && codes.every((c) => c.startsWith('19')), `codes ${codes}`);
  assert.match(await page.textContent('#summary'), /match/);
  assert.match(page.url(), /cameo=19/);
  await page.screenshot({ path: join(ARTIFACTS, 'filtered.png'), fullPage: true });
  // Country filter on top, then reset to everything.
  const afghan = await applyFilters(page, { '#f-country': 'AF' });
  assert.ok(afghan > 0 && afghan < filtered, `AF and 19: ${afghan}`);
  const countries = await page.$$eval('#map circle.marker', (c) => [...new Set(c.map((m) => m.dataset.country))]);
  assert.deepEqual(countries, ['AF']);
  await page.click('#filters button[type=reset]');
  await page.waitForFunction((n) => document.body.dataset.total === String(n), all, { timeout: 20000 });
  await page.close();
});

test('a click on an event opens the evidence with the sentence highlighted', async () => {
  const page = await openPage();
  await page.goto(`${BASE}/`);
  await ready(page);
  const row = await page.$('#events tbody tr[data-event]');
  const id = await row.getAttribute('data-event');
  const { mentions } = await json(`/api/events/${id}`);
  await row.click();
  await page.waitForSelector('#evidence[data-state=ready]', { timeout: 20000 });
  const action = await page.$$eval('#evidence-body mark.hl-action', (m) => m.map((x) => x.textContent).join(''));
  assert.equal(action, mentions[0].evidence);
  const sentence = await page.$$eval('#evidence-body mark.hl-sentence', (m) => m.map((x) => x.textContent).join(''));
  assert.ok(sentence.includes(mentions[0].evidence), `sentence ${JSON.stringify(sentence)}`);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('#evidence').open);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.event), id, 'focus back on the row');
  await page.close();
});

test('the keyboard opens the Panjshir evidence with every role highlighted', async () => {
  const page = await openPage();
  // The synthetic Panjshir story (crates/dyad-serve/src/synthetic.rs, article 0).
  const { events } = await json('/api/events?actor=AFGINSTAL&cameo=190&text=attacked%20Panjshir&limit=100');
  let target = null;
  let mention = -1;
  for (const e of events) {
    const { mentions } = await json(`/api/events/${e.id}`);
    const i = mentions.findIndex((m) => m.evidence === 'attacked' &&
      m.url === 'https://valley-courier.example/2021/08/25/panjshir');
    if (i >= 0) [target, mention] = [e, i];
  }
  assert.ok(target, 'the Panjshir attack is not in the database');
  await page.goto(`${BASE}/#/?actor=AFGINSTAL&cameo=190&text=attacked%20Panjshir`);
  await ready(page);
  await page.focus(`#events tbody tr[data-event="${target.id}"]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#evidence[data-state=ready]', { timeout: 20000 });
  if (mention > 0) {
    // The real coder found the same event in the seed article: show the synthetic mention.
    await page.click(`#evidence-body .mentions-nav button:nth-of-type(${mention + 1})`);
    await page.waitForSelector(`#evidence[data-state=ready] .mentions-nav button:nth-of-type(${mention + 1})[aria-pressed=true]`);
  }
  const text = async (role) => page.$$eval(`#evidence-body mark.hl-${role}`, (m) => m.map((x) => x.textContent).join(''));
  assert.equal(await text('action'), 'attacked');
  assert.equal(await text('source'), 'Taliban');
  assert.equal(await text('target'), 'National Resistance Front');
  assert.equal(await text('place'), 'Panjshir Valley');
  assert.equal(await text('date'), 'August 23, 2021');
  assert.match(await text('sentence'), /^The Taliban attacked the National Resistance Front in the Panjshir Valley on August 23, 2021/);
  assert.match(await page.textContent('#evidence-body .facts'), /ATTACK/); // the dictionary pattern
  const legend = await page.textContent('#evidence-body .hl-legend');
  for (const role of ['source', 'target', 'action', 'date', 'place']) assert.match(legend, new RegExp(role));
  await page.screenshot({ path: join(ARTIFACTS, 'evidence.png') });
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('#evidence').open);
  await page.close();
});

test('the paste page codes a sentence', async () => {
  const page = await openPage();
  await page.goto(`${BASE}/#/paste`);
  await page.fill('#p-text', 'The Taliban attacked the National Resistance Front in the Panjshir Valley on Monday. ' +
    'Ahmad Massoud appealed to the United States for weapons.');
  await page.fill('#p-published', '2021-08-25');
  await page.click('#paste-form button[type=submit]');
  // The first request builds the coder (knowledge base, gazetteer): allow time.
  await page.waitForSelector('#paste-result[data-state=ready]', { timeout: 120000 });
  const status = await page.textContent('#paste-status');
  assert.match(status, /2 sentences/);
  const shown = await page.textContent('#paste-result .article-text');
  assert.match(shown, /Panjshir Valley/);
  const events = await page.$$('#paste-result .coded-events button');
  if (events.length > 0) {
    const action = await page.$$eval('#paste-result mark.hl-action', (m) => m.map((x) => x.textContent).join(''));
    assert.ok(action.length > 0, 'a coded event without highlighted evidence');
  } else {
    // No event coded: the dates and places found are highlighted instead.
    assert.ok(await page.$$eval('#paste-result mark', (m) => m.length) > 0, 'nothing highlighted');
  }
  await page.screenshot({ path: join(ARTIFACTS, 'paste.png'), fullPage: true });
  await page.close();
});

test('the dashboard fits a phone screen', async () => {
  const page = await openPage({ width: 390, height: 844 });
  await page.goto(`${BASE}/`);
  await ready(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than the screen`);
  await page.screenshot({ path: join(ARTIFACTS, 'phone.png'), fullPage: true });
  await page.close();
});

test('no script errors on any page', () => {
  assert.deepEqual(problems, []);
});
