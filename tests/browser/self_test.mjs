#!/usr/bin/env node
// Self-test of check_page.mjs (ctest BrowserCheckSelfTest): runs it over the
// fixtures in tests/fixtures/browser through file:// URLs and checks that the
// good pages pass (visible map and chart, Han and Hangul drawn with a Noto CJK
// font, Cyrillic and Latin with fonts that cover them) and that each bad page
// fails for its own reason, named in the JSON.
//
// usage: node self_test.mjs [OUT_DIR]   (screenshots and PDF go to OUT_DIR,
//                                        default a new folder under $TMPDIR)
// Exit status: 0 passed, 1 failed, 77 no Chromium (ctest SKIP_RETURN_CODE).

import { execFile } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const checker = join(here, 'check_page.mjs');
const fixtures = resolve(here, '../fixtures/browser');
const SKIP = 77;

const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
try {
  accessSync(chromium, fsConstants.X_OK);
} catch {
  console.log(`SKIP: no Chromium at ${chromium} (scripts/setup-deps.sh --test installs it)`);
  process.exit(SKIP);
}
if (!existsSync(join(here, 'node_modules', 'playwright-core'))) {
  console.error(`FAILED: playwright-core is not installed in ${here} (run scripts/setup-deps.sh --test)`);
  process.exit(1);
}
const outDir = resolve(process.argv[2] ?? mkdtempSync(join(tmpdir(), 'wetlink-browser-')));
mkdirSync(outDir, { recursive: true });

const url = (name) => pathToFileURL(join(fixtures, name)).href;
const has = (list, pred) => list.some(pred);
const CJK = /^Noto (Sans|Serif)( Mono)? CJK\b/;

// Every good page: the map and the chart are there, the samples are drawn
// with real fonts. `samples` are SELECTOR=SCRIPT pairs.
function goodPage(name, samples, extra = []) {
  return {
    name,
    args: ['--url', url(`${name}.html`), '--expect', '#site-map svg', '--expect', '#chart-peaks svg',
           ...samples.flatMap((s) => ['--script-sample', s]), '--screenshot', join(outDir, `${name}.png`), ...extra],
    exit: 0,
    check(r, fail) {
      if (!r.ok) fail(`expected ok, got failures: ${JSON.stringify(r.failures)}`);
      if (r.scripts.length !== samples.length) fail(`expected ${samples.length} script results`);
      for (const s of r.scripts) {
        if (!s.ok) fail(`${s.selector}=${s.script}: ${s.problems.join('; ')}`);
        if ((s.script === 'Han' || s.script === 'Hangul') && !has(s.fonts, (f) => CJK.test(f.familyName))) {
          fail(`${s.selector}=${s.script} not drawn with Noto CJK: ${JSON.stringify(s.fonts)}`);
        }
      }
      for (const x of r.expectations) {
        if (!(x.found && x.visible && x.width > 0 && x.height > 0)) fail(`expectation ${JSON.stringify(x)}`);
      }
      const png = readFileSync(r.screenshot ?? '/nonexistent');
      if (png.subarray(1, 4).toString() !== 'PNG') fail('the screenshot is not a PNG');
      if (extra.includes('--pdf') && readFileSync(r.pdf ?? '/nonexistent').subarray(0, 5).toString() !== '%PDF-') {
        fail('the PDF is not a PDF');
      }
    },
  };
}

const cases = [
  goodPage('good_zh', ['#site-name=Han', '#site-map=Han', '#summary=Han', '#species=Latin']),
  goodPage('good_ko', ['#site-name=Hangul', '#site-map=Hangul', '#summary=Hangul', '#species=Latin']),
  goodPage('good_ru', ['#site-name=Cyrillic', '#site-map=Cyrillic', '#summary=Cyrillic', '#species=Latin']),
  goodPage('good_en', ['#site-name=Latin', '#chart-peaks text=Latin', '#summary=Latin'],
           ['--pdf', join(outDir, 'good_en.pdf')]),
  {
    name: 'bad_console',
    args: ['--url', url('bad_console.html'), '--expect', '#site-map svg', '--expect', '#chart-peaks svg'],
    exit: 1,
    check(r, fail) {
      const msg = (what) => `wetlink-fixture: deliberate ${what}`;
      if (!has(r.consoleErrors, (m) => m.text === msg('console error'))) fail('console error not reported');
      if (!has(r.pageErrors, (m) => m.message === msg('uncaught error'))) fail('uncaught error not reported');
      if (!has(r.consoleWarnings, (m) => m.text === msg('console warning'))) fail('warning not collected');
      if (has(r.failures, (f) => f.includes('console warning'))) fail('a warning counted as a failure');
      const [map, chart] = r.expectations;
      if (!map?.ok) fail('#site-map svg should be visible');
      if (!(chart && chart.found && !chart.visible && !chart.ok)) {
        fail(`hidden chart not caught: ${JSON.stringify(chart)}`);
      }
      if (r.failedRequests.length) fail(`unexpected failed requests ${JSON.stringify(r.failedRequests)}`);
    },
  },
  {
    name: 'bad_missing',
    args: ['--url', url('bad_missing.html'), '--expect', '#site-map svg'],
    exit: 1,
    check(r, fail) {
      const missing = url('missing-map-tile.png');
      if (!has(r.failedRequests, (q) => q.url === missing && q.error === 'net::ERR_FILE_NOT_FOUND')) {
        fail(`missing image not reported: ${JSON.stringify(r.failedRequests)}`);
      }
      if (r.pageErrors.length) fail('unexpected page errors');
      if (!r.expectations[0]?.ok) fail('#site-map svg should be visible');
    },
  },
  {
    name: 'bad_tofu',
    args: ['--url', url('bad_tofu.html'), '--script-sample', '#site-name=Han', '--script-sample', '#rare=Han'],
    exit: 1,
    check(r, fail) {
      const [name, rare] = r.scripts;
      if (!name?.ok) fail(`#site-name=Han should pass: ${JSON.stringify(name)}`);
      if (!rare || rare.ok || !has(rare.problems, (p) => p.includes('tofu') && p.includes('U+30000'))) {
        fail(`tofu not caught: ${JSON.stringify(rare)}`);
      }
      if (r.consoleErrors.length || r.pageErrors.length || r.failedRequests.length) fail('unexpected page problems');
    },
  },
  { name: 'usage_no_url', args: ['--expect', 'svg'], exit: 2, json: false },
  { name: 'usage_bad_script', args: ['--url', url('good_en.html'), '--script-sample', '#x=Greek'], exit: 2,
    json: false },
  { name: 'no_chromium', args: ['--url', url('good_en.html')], env: { CHROMIUM: join(outDir, 'no-such-chromium') },
    exit: 2, json: false },
];

function run(c) {
  return new Promise((done) => {
    const started = Date.now();
    execFile(process.execPath, [checker, ...c.args, '--timeout-ms', '20000'],
      { env: { ...process.env, ...(c.env ?? {}) }, timeout: 45000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const problems = [];
        const fail = (m) => problems.push(m);
        const code = err ? (typeof err.code === 'number' ? err.code : `killed (${err.signal ?? err.code})`) : 0;
        if (code !== c.exit) fail(`exit status ${code}, expected ${c.exit}`);
        let r = null;
        if (c.json !== false) {
          try {
            r = JSON.parse(stdout);
          } catch {
            fail(`stdout is not one JSON object: ${stdout.slice(0, 200)}`);
          }
          if (r) {
            try {
              c.check(r, fail);
            } catch (e) {
              fail(`check threw: ${e.message}`);
            }
          }
        } else if (!stderr.trim()) {
          fail('no message on stderr');
        }
        done({ c, r, problems, stderr, seconds: (Date.now() - started) / 1000 });
      });
  });
}

// Two Chromiums at a time keeps the test short without crowding the machine.
const started = Date.now();
const results = new Array(cases.length);
let next = 0;
await Promise.all(Array.from({ length: 2 }, async () => {
  while (next < cases.length) {
    const i = next++;
    results[i] = await run(cases[i]);
  }
}));

let failed = 0;
for (const { c, r, problems, stderr, seconds } of results) {
  const status = problems.length ? 'FAIL' : 'PASS';
  let detail = '';
  if (r && c.exit === 1) {
    detail = `failed as expected: ${r.failures.join(' | ')}`;
  } else if (r?.scripts?.length) {
    const fonts = (s) => s.fonts.map((f) => `${f.familyName} [${f.postScriptName}] x${f.glyphCount}`).join(', ');
    detail = r.scripts.map((s) => `${s.selector}=${s.script}: ${fonts(s) || 'no font'}`).join('; ');
  } else if (c.json === false) {
    detail = `exit ${c.exit}: ${stderr.trim().split('\n')[0]}`;
  }
  console.log(`${status} ${c.name} (${seconds.toFixed(1)} s) ${detail}`);
  for (const p of problems) console.log(`     ${p}`);
  if (problems.length && stderr.trim()) {
    console.log(`     stderr: ${stderr.trim().split('\n').slice(0, 5).join('\n             ')}`);
  }
  if (problems.length) failed++;
}
console.log(`${failed ? 'FAILED' : 'passed'}: ${cases.length - failed}/${cases.length} cases in ` +
            `${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${outDir}`);
process.exit(failed ? 1 : 0);
