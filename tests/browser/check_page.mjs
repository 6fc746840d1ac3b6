#!/usr/bin/env node
// Loads one HTML page in Debian's headless Chromium and checks it: no console
// errors, uncaught page errors, failed requests or HTTP errors; the expected
// elements are visible; text in the named Unicode scripts is drawn with a
// system font that has glyphs for it (no tofu). Prints one JSON object on
// stdout. See README.md.
//
// Exit status: 0 all checks passed, 1 a check failed (or the page timed out),
// 2 usage error or Chromium could not start.

import { execFile } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const USAGE = `usage: node check_page.mjs --url URL [--screenshot FILE.png] [--pdf FILE.pdf]
         [--expect SELECTOR]... [--script-sample SELECTOR=SCRIPT]... [--timeout-ms N]
         [--token-file FILE]
  FILE      a wetlinkd access token, sent as "Authorization: Bearer <token>"
  URL       http://, https:// or file:// (a path to an existing file is taken as file://)
  SCRIPT    one of Latin, Han, Hangul, Cyrillic
  Chromium: $CHROMIUM, default /usr/bin/chromium; overall timeout default 30000 ms`;

// The Unicode scripts --script-sample knows, with the font families that
// must draw them (null: any font that covers the characters).
const SCRIPTS = {
  Latin: { pattern: /\p{Script=Latin}/u, family: null },
  Cyrillic: { pattern: /\p{Script=Cyrillic}/u, family: null },
  Han: { pattern: /\p{Script=Han}/u, family: /^Noto (Sans|Serif)( Mono)? CJK\b/ },
  Hangul: { pattern: /\p{Script=Hangul}/u, family: /^Noto (Sans|Serif)( Mono)? CJK\b/ },
};

// About A4 at 96 CSS px per inch (210 x 297 mm).
const VIEWPORT = { width: 794, height: 1123 };

class UsageError extends Error {}

function parseArgs(argv) {
  const opts = { url: null, screenshot: null, pdf: null, expect: [], scriptSamples: [], timeoutMs: 30000,
                 token: null };
  const value = (i, name) => {
    if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) throw new UsageError(`${name} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i += 2) {
    const arg = argv[i];
    switch (arg) {
      case '--url': opts.url = value(i, arg); break;
      case '--screenshot': opts.screenshot = resolve(value(i, arg)); break;
      case '--pdf': opts.pdf = resolve(value(i, arg)); break;
      case '--token-file': opts.token = readFileSync(value(i, arg), 'utf8').trim(); break;
      case '--expect': opts.expect.push(value(i, arg)); break;
      case '--script-sample': {
        const spec = value(i, arg);
        const eq = spec.lastIndexOf('='); // selectors may contain '=' themselves
        const selector = eq > 0 ? spec.slice(0, eq).trim() : '';
        const name = eq > 0 ? spec.slice(eq + 1).trim() : '';
        const script = Object.keys(SCRIPTS).find((s) => s.toLowerCase() === name.toLowerCase());
        if (!selector || !script) {
          throw new UsageError(`--script-sample wants SELECTOR=SCRIPT with SCRIPT one of ` +
                               `${Object.keys(SCRIPTS).join(', ')}; got '${spec}'`);
        }
        opts.scriptSamples.push({ selector, script });
        break;
      }
      case '--timeout-ms': {
        const n = Number(value(i, arg));
        if (!Number.isInteger(n) || n <= 0) throw new UsageError('--timeout-ms wants a positive integer');
        opts.timeoutMs = n;
        break;
      }
      case '-h': case '--help': throw new UsageError('');
      default: throw new UsageError(`unknown argument '${arg}'`);
    }
  }
  if (!opts.url) throw new UsageError('--url is required');
  if (!/^(https?|file):\/\//i.test(opts.url)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(opts.url) || !existsSync(opts.url)) {
      throw new UsageError(`--url wants http://, https:// or file:// (or an existing file); got '${opts.url}'`);
    }
    opts.url = pathToFileURL(resolve(opts.url)).href;
  }
  return opts;
}

// The characters of each font face, from fontconfig (fc-list), keyed by the
// PostScript name Chromium reports; null when fontconfig does not know it.
const execFileP = promisify(execFile);
const charsetCache = new Map();
async function fontCharset(font) {
  const key = `${font.postScriptName}\u0000${font.familyName}`;
  if (!charsetCache.has(key)) {
    charsetCache.set(key, (async () => {
      const esc = (s) => s.replace(/[\\:,=-]/g, (c) => `\\${c}`);
      const patterns = [];
      if (font.postScriptName) patterns.push(`:postscriptname=${esc(font.postScriptName)}`);
      patterns.push(`:family=${esc(font.familyName)}`);
      for (const pattern of patterns) {
        let stdout;
        try {
          ({ stdout } = await execFileP('fc-list', ['--format', '%{charset}\\n', pattern], { timeout: 10000 }));
        } catch (e) {
          throw new Error(`fc-list (fontconfig) failed: ${e.message}; run scripts/setup-deps.sh --test`);
        }
        const ranges = [];
        for (const line of stdout.split('\n')) {
          for (const r of line.trim().split(/\s+/).filter(Boolean)) {
            const [lo, hi = lo] = r.split('-').map((h) => parseInt(h, 16));
            ranges.push([lo, hi]);
          }
        }
        if (ranges.length) return ranges;
      }
      return null;
    })());
  }
  return charsetCache.get(key);
}
const covers = (ranges, cp) => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
const hex = (cp) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

// --expect: at least one match that is rendered, visible and not empty.
async function checkExpectation(page, selector) {
  const r = await page.evaluate((sel) => {
    let all;
    try {
      all = [...document.querySelectorAll(sel)];
    } catch (e) {
      return { error: `invalid selector: ${e.message}` };
    }
    let first = null;
    for (const el of all) {
      const box = el.getBoundingClientRect();
      const shown = el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
      const info = { visible: shown && box.width > 0 && box.height > 0, width: box.width, height: box.height };
      if (info.visible) return { count: all.length, ...info };
      first ??= info;
    }
    return { count: all.length, ...(first ?? { visible: false, width: 0, height: 0 }) };
  }, selector);
  if (r.error) {
    return { selector, found: false, count: 0, visible: false, width: 0, height: 0, ok: false, problem: r.error };
  }
  const out = {
    selector, found: r.count > 0, count: r.count, visible: r.visible,
    width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10, ok: r.visible,
  };
  if (!out.found) out.problem = 'no element matches';
  else if (!out.visible) out.problem = `${r.count} element(s) match, none visible with a non-zero box`;
  return out;
}

// --script-sample: the text nodes under the matches that hold characters of
// the script, the platform fonts Chromium drew each with (CDP), and whether
// those fonts have glyphs for every such character (fontconfig).
async function checkScriptSample(cdp, sample) {
  const { selector, script } = sample;
  const { pattern, family } = SCRIPTS[script];
  const out = { selector, script, textSample: '', fonts: [], ok: false, problems: [] };

  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const byId = new Map();
  const index = (node, parentName) => {
    byId.set(node.nodeId, { node, parentName });
    for (const c of node.children ?? []) index(c, node.nodeName);
    if (node.contentDocument) index(node.contentDocument, node.nodeName);
  };
  index(root, '');
  let nodeIds;
  try {
    ({ nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector }));
  } catch (e) {
    out.problems.push(`invalid selector: ${e.message}`);
    return out;
  }
  if (nodeIds.length === 0) {
    out.problems.push('no element matches');
    return out;
  }

  const texts = [];
  const textNodes = [];
  const collect = (node, parentName) => {
    // Text that is never drawn: scripts, styles, SVG titles and descriptions.
    if (node.nodeType === 3 && !/^(script|style|template|noscript|title|desc|metadata)$/i.test(parentName)) {
      texts.push(node.nodeValue);
      if (pattern.test(node.nodeValue)) textNodes.push(node);
    }
    for (const c of node.children ?? []) collect(c, node.nodeName);
  };
  for (const id of nodeIds) {
    const entry = byId.get(id);
    if (entry) collect(entry.node, entry.parentName);
  }
  const allText = texts.join('').replace(/\s+/g, ' ').trim();
  out.textSample = [...allText].slice(0, 80).join('');
  if (textNodes.length === 0) {
    out.problems.push(`no ${script} characters in the text`);
    return out;
  }

  const fonts = new Map();
  const uncovered = new Set();
  const globalPattern = new RegExp(pattern.source, 'gu');
  for (const node of textNodes) {
    const { fonts: used } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId: node.nodeId });
    const drawn = used.filter((f) => f.glyphCount > 0);
    for (const f of drawn) {
      const key = `${f.familyName}\u0000${f.postScriptName ?? ''}`;
      const agg = fonts.get(key) ?? { familyName: f.familyName, postScriptName: f.postScriptName ?? '', glyphCount: 0 };
      agg.glyphCount += f.glyphCount;
      fonts.set(key, agg);
    }
    if (drawn.length === 0) {
      out.problems.push(`text '${node.nodeValue.trim().slice(0, 20)}' was drawn with no font (not rendered?)`);
      continue;
    }
    // Web fonts (@font-face) are not fontconfig's: only system fonts can be
    // checked, so text drawn with one counts as not covered.
    const charsets = await Promise.all(drawn.map((f) => (f.isCustomFont ? null : fontCharset(f))));
    for (const [i, f] of drawn.entries()) {
      if (f.isCustomFont) out.problems.push(`'${f.familyName}' is a web font; only system fonts can be checked`);
      else if (!charsets[i]) out.problems.push(`fontconfig does not know '${f.familyName}' (${f.postScriptName})`);
    }
    for (const ch of node.nodeValue.match(globalPattern) ?? []) {
      const cp = ch.codePointAt(0);
      if (!charsets.some((cs) => cs && covers(cs, cp))) uncovered.add(cp);
    }
  }
  out.fonts = [...fonts.values()].sort((a, b) => b.glyphCount - a.glyphCount);
  if (uncovered.size > 0) {
    const list = [...uncovered].slice(0, 10).map((cp) => `${String.fromCodePoint(cp)} ${hex(cp)}`);
    out.problems.push(`no glyphs (tofu) for ${uncovered.size} ${script} character(s) in the fonts used ` +
                      `(${out.fonts.map((f) => f.familyName).join(', ')}): ${list.join(', ')}`);
  }
  if (family && out.fonts.length > 0 && !out.fonts.some((f) => family.test(f.familyName))) {
    out.problems.push(`${script} was not drawn with a Noto CJK font but with ` +
                      `${out.fonts.map((f) => f.familyName).join(', ')}`);
  }
  out.ok = out.problems.length === 0;
  return out;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) process.stderr.write(`check_page: ${e.message}\n`);
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }

  const started = Date.now();
  const deadline = started + opts.timeoutMs;
  const remaining = () => Math.max(1, deadline - Date.now());
  const result = {
    ok: false, url: opts.url, title: null,
    consoleErrors: [], consoleWarnings: [], ignoredConsoleErrors: [], pageErrors: [], failedRequests: [],
    expectations: [], scripts: [], screenshot: null, pdf: null, failures: [], durationMs: 0,
  };
  const finish = (code) => {
    result.durationMs = Date.now() - started;
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return code;
  };

  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  try {
    accessSync(executablePath, fsConstants.X_OK);
  } catch {
    process.stderr.write(`check_page: no Chromium at ${executablePath} ` +
                         '(install it with scripts/setup-deps.sh --test, or set CHROMIUM)\n');
    return 2;
  }
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    process.stderr.write(`check_page: cannot load playwright-core (${e.message}); ` +
                         'run npm ci in tests/browser or scripts/setup-deps.sh --test\n');
    return 2;
  }

  let browser = null;
  let timedOut = false;
  // The overall bound: closing the browser makes whatever is pending fail.
  const timer = setTimeout(() => {
    timedOut = true;
    browser?.close().catch(() => {});
  }, opts.timeoutMs);
  try {
    try {
      browser = await chromium.launch({
        executablePath,
        headless: true,
        // Chromium's sandbox cannot run as root; everyone else keeps it.
        chromiumSandbox: process.getuid?.() !== 0,
        timeout: remaining(),
      });
    } catch (e) {
      const why = timedOut ? `did not start within ${opts.timeoutMs} ms` : e.message.split('\n')[0];
      const details = timedOut ? why : e.message.replace(/\x1b\[[0-9;]*m/g, ''); // with Chromium's log
      process.stderr.write(`check_page: Chromium (${executablePath}) could not start: ${details}\n`);
      result.failures.push(`Chromium could not start: ${why}`);
      return finish(2);
    }
    if (timedOut) throw new Error('timed out');

    const context = await browser.newContext({
      viewport: VIEWPORT,
      deviceScaleFactor: 1,
      extraHTTPHeaders: opts.token ? { Authorization: `Bearer ${opts.token}` } : {},
    });
    const page = await context.newPage();
    page.setDefaultTimeout(remaining());
    // Over http(s) Chromium itself asks for /favicon.ico, which the page
    // never named; its 404 shows up only as a console error, kept apart.
    const isImplicitFavicon = (msg) => {
      const loc = msg.location()?.url ?? '';
      return /^https?:/.test(opts.url) && msg.text().startsWith('Failed to load resource') &&
             loc === new URL('/favicon.ico', opts.url).href;
    };
    const where = (loc) => (loc?.url ? `${loc.url}:${(loc.lineNumber ?? 0) + 1}` : '');
    page.on('console', (msg) => {
      const type = msg.type();
      const entry = { text: msg.text(), location: where(msg.location()) };
      if (type === 'error' && isImplicitFavicon(msg)) result.ignoredConsoleErrors.push(entry);
      else if (type === 'error') result.consoleErrors.push(entry);
      else if (type === 'warning') result.consoleWarnings.push(entry);
    });
    page.on('pageerror', (err) => {
      result.pageErrors.push({ message: err.message, stack: (err.stack ?? '').split('\n').slice(0, 4).join('\n') });
    });
    page.on('requestfailed', (req) => {
      result.failedRequests.push({
        url: req.url(), resourceType: req.resourceType(), error: req.failure()?.errorText ?? 'failed',
      });
    });
    page.on('response', (resp) => {
      if (resp.status() >= 400) {
        result.failedRequests.push({
          url: resp.url(), resourceType: resp.request().resourceType(), status: resp.status(),
          error: `HTTP ${resp.status()} ${resp.statusText()}`.trim(),
        });
      }
    });

    await page.goto(opts.url, { waitUntil: 'load', timeout: remaining() });
    await page.waitForLoadState('networkidle', { timeout: remaining() });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    result.title = await page.title();

    for (const selector of opts.expect) result.expectations.push(await checkExpectation(page, selector));
    if (opts.scriptSamples.length > 0) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('DOM.enable');
      await cdp.send('CSS.enable');
      for (const sample of opts.scriptSamples) result.scripts.push(await checkScriptSample(cdp, sample));
      await cdp.detach().catch(() => {});
    }
    if (opts.screenshot) {
      await page.screenshot({ path: opts.screenshot, fullPage: true, timeout: remaining() });
      result.screenshot = opts.screenshot;
    }
    if (opts.pdf) {
      await page.pdf({ path: opts.pdf, format: 'A4', printBackground: true });
      result.pdf = opts.pdf;
    }
  } catch (e) {
    const first = e.message.split('\n')[0];
    result.failures.push(timedOut || e.name === 'TimeoutError' ? `timed out after ${opts.timeoutMs} ms (${first})`
                                                               : `check aborted: ${first}`);
  } finally {
    clearTimeout(timer);
    if (browser) {
      // Bounded as well: a wedged browser must not keep the checker alive.
      await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
    }
  }

  for (const m of result.consoleErrors) result.failures.push(`console error: ${m.text}`);
  for (const m of result.pageErrors) result.failures.push(`page error: ${m.message}`);
  for (const r of result.failedRequests) result.failures.push(`request failed: ${r.url} (${r.error})`);
  for (const x of result.expectations) if (!x.ok) result.failures.push(`expect ${x.selector}: ${x.problem}`);
  for (const s of result.scripts) {
    for (const p of s.problems) result.failures.push(`script-sample ${s.selector}=${s.script}: ${p}`);
  }
  result.ok = result.failures.length === 0;
  return finish(result.ok ? 0 : 1);
}

process.exitCode = await main();
// Nothing may keep the process alive after the result (a stuck child, a timer).
setTimeout(() => process.exit(process.exitCode), 100).unref();
