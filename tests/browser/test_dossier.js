#!/usr/bin/env node
/* test_dossier.js — opens a village dossier of a built site in the system Chromium and checks
 * that its household table sorts and filters, that nothing is fetched from outside file://,
 * and that the page logs no error.
 *
 *   node tests/browser/test_dossier.js SITE_DIR
 *
 * Needs /usr/bin/chromium (Debian package chromium) and playwright-core from this folder's
 * package.json (npm ci inside tests/browser). Prints "ok - …" / "not ok - …" lines and, as its
 * last line, "N passed, N failed"; exits 1 when a check failed, 2 on bad usage. */
'use strict';

const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

let passed = 0;
let failed = 0;

function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}${detail ? `: ${detail}` : ''}`);
  }
  return ok;
}

function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

/* The script of the page sorts text with a zh-CN collator that compares digit runs as numbers;
 * the test sorts the same way. */
const collator = new Intl.Collator('zh-CN', { numeric: true });

function sameOrder(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function firstDifference(got, want) {
  const i = got.findIndex((x, k) => x !== want[k]);
  return i < 0 ? `lengths ${got.length} and ${want.length}` : `at row ${i}: got ${got[i]}, want ${want[i]}`;
}

/* Values of data-sort must be ordered (numbers, in the direction dir) with empty ones last. */
function numericOrderProblem(values, dir) {
  let seenEmpty = false;
  let prev = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v.trim() === '') {
      seenEmpty = true;
      continue;
    }
    if (seenEmpty) return `row ${i} has a value (${v}) after an empty one`;
    const n = Number(v);
    if (Number.isNaN(n)) return `row ${i}: data-sort "${v}" is not a number`;
    if (prev !== null && (dir > 0 ? n < prev : n > prev)) return `row ${i}: ${n} after ${prev}`;
    prev = n;
  }
  return null;
}

async function main() {
  const siteArg = process.argv[2];
  if (!siteArg) {
    console.error('usage: node tests/browser/test_dossier.js SITE_DIR');
    process.exit(2);
  }
  const site = path.resolve(siteArg);
  const villagesDir = path.join(site, 'villages');
  let pages = [];
  try {
    pages = fs.readdirSync(villagesDir).filter((f) => f.endsWith('.html')).sort();
  } catch (e) {
    /* reported below */
  }
  if (!check('the site has a village dossier', pages.length > 0, `no .html file in ${villagesDir}`)) return;
  const file = path.join(villagesDir, pages[0]);
  const url = pathToFileURL(file).href;

  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    check('playwright-core is installed', false, `${e.message} (run npm ci in tests/browser)`);
    return;
  }

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
    timeout: 60000,
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    const outside = [];
    const errors = [];
    page.on('request', (req) => {
      const u = req.url();
      /* file: is the site; data: and about: are inline and never leave the machine. */
      if (!/^(file|data|about):/i.test(u)) outside.push(u);
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(String(err && err.message ? err.message : err)));

    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(200);

    const table = page.locator('table#households');
    const visibleIds = () => page.$$eval('#households tbody tr[data-id]', (rows) =>
      rows.filter((r) => !r.hidden && getComputedStyle(r).display !== 'none').map((r) => r.getAttribute('data-id')));
    const headerIndex = (label) => page.$$eval('#households thead th', (ths, want) =>
      ths.findIndex((th) => th.textContent.replace(/\s+/g, '').trim() === want), label);
    const sortValues = (col) => page.$$eval('#households tbody tr[data-id]', (rows, c) =>
      rows.filter((r) => !r.hidden).map((r) => (r.cells[c] ? r.cells[c].getAttribute('data-sort') : null)), col);

    check(`${pages[0]}: the household table is visible`, await table.isVisible());
    const all = await page.$$eval('#households tbody tr[data-id]', (rows) => rows.map((r) => r.getAttribute('data-id')));
    const n = all.length;
    check(`${pages[0]}: the household table has rows`, n > 0, 'no tr[data-id] in #households');
    const shown = await visibleIds();
    check(`all ${n} household rows are shown`, shown.length === n, `${shown.length} of ${n} shown`);

    /* 户号: the first click sorts descending (the table arrives ascending), the second ascending. */
    const idCol = await headerIndex('户号');
    if (check('the household table has a 户号 column', idCol >= 0)) {
      const th = page.locator('#households thead th').nth(idCol);
      const asc = [...all].sort((a, b) => collator.compare(a, b));
      const desc = [...asc].reverse();
      await th.click();
      let got = await visibleIds();
      check('clicking 户号 sorts the ids descending', sameOrder(got, desc), firstDifference(got, desc));
      check('the 户号 header says aria-sort="descending"', (await th.getAttribute('aria-sort')) === 'descending',
        `aria-sort is ${await th.getAttribute('aria-sort')}`);
      await th.click();
      got = await visibleIds();
      check('clicking 户号 again sorts the ids ascending', sameOrder(got, asc), firstDifference(got, asc));
      check('the 户号 header says aria-sort="ascending"', (await th.getAttribute('aria-sort')) === 'ascending',
        `aria-sort is ${await th.getAttribute('aria-sort')}`);
    }

    /* 授信额度: numeric order by data-sort, empty amounts last in both directions. */
    const creditCol = await headerIndex('授信额度');
    if (check('the household table has a 授信额度 column', creditCol >= 0)) {
      const th = page.locator('#households thead th').nth(creditCol);
      await th.click();
      let values = await sortValues(creditCol);
      let problem = numericOrderProblem(values, 1);
      check('clicking 授信额度 sorts by data-sort ascending', !problem, problem);
      await th.click();
      values = await sortValues(creditCol);
      problem = numericOrderProblem(values, -1);
      check('clicking 授信额度 again sorts by data-sort descending', !problem, problem);
      check('sorting keeps every row', (await visibleIds()).length === n);
    }

    /* Filter: the id of the middle row leaves exactly that row. */
    const filter = page.locator('input.table-filter[data-table="households"]');
    if (check('the household filter box is visible', (await filter.count()) === 1 && (await filter.isVisible()))) {
      const current = await visibleIds();
      const middle = current[Math.floor(current.length / 2)];
      await filter.fill(middle);
      const got = await visibleIds();
      check(`typing ${middle} leaves exactly 1 row`, got.length === 1 && got[0] === middle, `shown: ${got.slice(0, 5).join(', ')}`);
      const counter = page.locator('.table-tools .filter-count').first();
      const text = ((await counter.textContent()) || '').trim();
      check('the counter reads 显示 1 / N 行', text === `显示 1 / ${n} 行`, `counter: "${text}"`);
      const lower = middle.toLowerCase();
      if (lower !== middle) {
        await filter.fill(lower);
        const again = await visibleIds();
        check('the filter ignores case', again.length === 1 && again[0] === middle, `shown: ${again.length}`);
      }
      await filter.fill('');
      const back = await visibleIds();
      check(`clearing the filter shows all ${n} rows again`, back.length === n, `${back.length} shown`);
      const text2 = ((await counter.textContent()) || '').trim();
      check('the counter reads 显示 N / N 行 again', text2 === `显示 ${n} / ${n} 行`, `counter: "${text2}"`);
    }

    check('no request left file://', outside.length === 0, outside.slice(0, 5).join(' '));
    check('no console error', errors.length === 0, errors.slice(0, 5).join(' | '));
  } finally {
    await browser.close();
  }
}

main()
  .catch((e) => check('the browser test ran to the end', false, e && e.stack ? e.stack.split('\n')[0] : String(e)))
  .finally(finish);
