// What the tests know about the book: its pages (from book/SUMMARY.md), where it is built, the
// search terms each chapter must be found by, and a browser pointed at it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveBook } from './server.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BOOK_SRC = path.join(REPO, 'book');
/** Where `mdbook build` writes the HTML book (`build-dir` in book.toml). */
export const BOOK_HTML = process.env.BOOK_HTML_DIR
  ? path.resolve(REPO, process.env.BOOK_HTML_DIR)
  : path.join(REPO, 'target/book/html');
export const SCREENSHOTS = process.env.BROWSER_SCREENSHOTS_DIR
  ? path.resolve(REPO, process.env.BROWSER_SCREENSHOTS_DIR)
  : path.join(REPO, 'target/browser-screenshots');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** The Rust Playground, which mdBook's Run button posts to; the only place a page may reach. */
export const PLAYGROUND = 'https://play.rust-lang.org/';

/**
 * The pages of SUMMARY.md that have a file, in reading order: { title, md, html, chapter },
 * where `chapter` is the page's folder (`ch03-futures-and-tasks`) or null for a page at the
 * top (the introduction). Draft chapters, `[Title]()`, have no page and are left out.
 */
export function bookPages() {
  const summary = readFileSync(path.join(BOOK_SRC, 'SUMMARY.md'), 'utf8');
  const pages = [];
  for (const match of summary.matchAll(/\[([^\]]+)\]\(([^)]+\.md)\)/g)) {
    const md = match[2].trim().replace(/^\.\//, '');
    pages.push({
      title: match[1],
      md,
      html: md.replace(/\.md$/, '.html'),
      chapter: md.includes('/') ? md.split('/')[0] : null,
    });
  }
  return pages;
}

/** The chapter folders of SUMMARY.md, in order, each with its first page. */
export function bookChapters() {
  const chapters = new Map();
  for (const page of bookPages()) {
    if (page.chapter && !chapters.has(page.chapter)) chapters.set(page.chapter, page);
  }
  return [...chapters].map(([folder, first]) => ({ folder, first }));
}

/**
 * book/search-terms.toml: one table per chapter folder with `terms = ["...", ...]`. Only that
 * much TOML is understood (this package depends on playwright-core alone); anything else fails.
 */
export function searchTerms() {
  const file = path.join(BOOK_SRC, 'search-terms.toml');
  const terms = new Map();
  let table = null;
  readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const where = `book/search-terms.toml:${i + 1}`;
    if (line === '' || line.startsWith('#')) return;
    const header = /^\[([A-Za-z0-9_-]+)\]$/.exec(line);
    if (header) {
      table = header[1];
      if (terms.has(table)) throw new Error(`${where}: [${table}] appears twice`);
      terms.set(table, []);
      return;
    }
    const entry = /^terms\s*=\s*(\[.*\])\s*(#.*)?$/.exec(line);
    if (!entry || table === null) {
      throw new Error(`${where}: expected [chapter-folder] or terms = ["...", ...] on one line`);
    }
    let list;
    try {
      list = JSON.parse(entry[1]);
    } catch {
      throw new Error(`${where}: terms must be a list of "double-quoted" strings`);
    }
    if (!Array.isArray(list) || list.length === 0 || !list.every(t => typeof t === 'string' && t.trim())) {
      throw new Error(`${where}: terms must be a non-empty list of non-empty strings`);
    }
    terms.get(table).push(...list);
  });
  return terms;
}

/** The page's file name for screenshots: `ch01-concurrent-vs-parallel__index`. */
export function slug(page) {
  return page.html.replace(/\.html$/, '').replaceAll('/', '__');
}

/** Fails with one clear line when the book has not been built. */
export function assertBuilt() {
  if (!existsSync(path.join(BOOK_HTML, 'index.html'))) {
    throw new Error(`no built book at ${BOOK_HTML}: run \`mdbook build\` first`);
  }
}

/**
 * Starts the static server and Chromium. Every context made with `newContext` answers the
 * Playground itself (see `playground`) and blocks any other request that would leave
 * 127.0.0.1, recording it in `outside`.
 */
export async function openBook() {
  assertBuilt();
  const server = await serveBook(BOOK_HTML);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // As on the CI machine: no sandbox (root), and no background traffic from Chromium itself.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const book = {
    server,
    browser,
    url: page => server.url + (typeof page === 'string' ? page : page.html),
    /**
     * A fresh context. `offline: true` blocks the Playground too. `onRun(body)` answers the
     * Run button's request: it returns the text the Playground would have printed.
     */
    async newContext({ offline = false, onRun, ...options } = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
      context.outside = [];
      context.runs = [];
      await context.route(
        url => !url.href.startsWith(server.url),
        route => {
          const request = route.request();
          const url = request.url();
          if (!offline && url.startsWith(PLAYGROUND)) return playground(route, context, onRun);
          context.outside.push(url);
          return route.abort('blockedbyclient');
        },
      );
      return context;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
  return book;
}

/** The crates mdBook asks the Playground for, so that it shows the Run buttons. */
const PLAYGROUND_CRATES = ['tokio', 'futures', 'rayon', 'tokio_stream', 'tokio_util', 'crossbeam'];

/** Answers the Playground's two endpoints the way play.rust-lang.org does. */
async function playground(route, context, onRun) {
  const request = route.request();
  const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'content-type' };
  if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
  const url = new URL(request.url());
  if (url.pathname === '/meta/crates') {
    return route.fulfill({
      headers: cors,
      json: { crates: PLAYGROUND_CRATES.map(id => ({ id, name: id, version: '1.0.0' })) },
    });
  }
  if (url.pathname === '/evaluate.json') {
    const body = JSON.parse(request.postData() ?? '{}');
    context.runs.push(body);
    const result = onRun ? await onRun(body) : 'ran';
    return route.fulfill({ headers: cors, json: { result, error: null } });
  }
  context.outside.push(request.url());
  return route.abort('blockedbyclient');
}

/**
 * Watches a page for what must never happen on a page of the book: console errors, uncaught
 * exceptions, failed requests and HTTP errors. `problems` lists them as text.
 */
export function watch(page, { ignore = () => false } = {}) {
  const problems = [];
  page.on('console', message => {
    if (message.type() === 'error' && !ignore(message.text(), message.location()?.url)) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on('pageerror', error => {
    if (!ignore(error.message)) problems.push(`uncaught: ${error.message}`);
  });
  page.on('requestfailed', request => {
    const error = request.failure()?.errorText ?? '';
    // ERR_ABORTED: the page navigated away before the request finished (not a failure).
    if (error !== 'net::ERR_ABORTED' && !ignore(error, request.url())) {
      problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
    }
  });
  page.on('response', response => {
    if (response.status() >= 400 && !ignore('', response.url())) {
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });
  return problems;
}

/** mdBook's themes (the ids of the theme picker's buttons, without `mdbook-theme-`). */
export const THEMES = ['light', 'rust', 'coal', 'navy', 'ayu'];

/** WCAG's minimum contrast for normal-size text (AA). */
export const MIN_CONTRAST = 4.5;
