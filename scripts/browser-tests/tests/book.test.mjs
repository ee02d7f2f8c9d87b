// The reader's experience of the built book (target/book/html), in headless Chromium.
//
// Pages come from book/SUMMARY.md, so new chapters are covered as soon as they are listed
// there. One pass over every page (the "survey") gathers what most tests judge; the tests
// that need interaction (themes, search, keyboard, quizzes, edits, clipboard) visit pages of
// their own. Run with `scripts/browser-test`, after `mdbook build`.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  BOOK_HTML, MIN_CONTRAST, PLAYGROUND, REPO, SCREENSHOTS, THEMES,
  bookChapters, bookPages, openBook, searchTerms, slug, watch,
} from '../lib/book.mjs';
import {
  measureContrast, renderFacts, renderProblems, surveyListings, surveyPictures,
} from '../lib/probes.mjs';

const pages = bookPages();
const relative = p => path.relative(REPO, p) || '.';
let book;
/** What the survey found on each page, by page.html. */
const survey = new Map();

/** Waits until mdBook has shown the Run buttons (after the Playground's list of crates). */
async function runButtonsReady(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('pre.playground')].every(pre => {
    const button = pre.querySelector('.play-button');
    return button && (!button.hidden || pre.querySelector('code.no_run'));
  }), null, { timeout: 5000 });
}

before(async () => {
  book = await openBook();
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(path.join(SCREENSHOTS, 'desktop'), { recursive: true });
  const firstPages = new Set(bookChapters().map(c => c.first.html));
  const runs = [];
  const context = await book.newContext({ onRun: body => `playground answer #${runs.push(body)}` });
  const page = await context.newPage();
  const seen = watch(page);
  for (const entry of pages) {
    const problems = seen.splice(0);
    const outside = context.outside.length;
    const started = Date.now();
    const response = await page.goto(book.url(entry), { waitUntil: 'load' });
    const loadMs = Date.now() - started;
    const found = {
      status: response?.status(),
      loadMs,
      // What the page downloaded, itself included. The test server sends no caching headers,
      // so each page downloads everything it uses: this is its weight for a first-time reader.
      bytes: await page.evaluate(async () => {
        await document.fonts.ready;
        const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
        return entries.reduce((sum, e) => sum + e.decodedBodySize, 0);
      }),
      problems,
      outside: context.outside.slice(outside),
      rendered: await page.evaluate(renderFacts),
      title: await page.title(),
      pictures: await page.evaluate(surveyPictures),
      quizzes: await page.locator('.quiz-placeholder').count(),
      steppers: await page.locator('.stepper[data-trace]').count(),
      // Where mdBook's next/previous arrows (and the arrow keys) lead.
      next: await page.evaluate(() => document.querySelector('.nav-chapters.next')?.href ?? null),
      previous: await page.evaluate(() => document.querySelector('.nav-chapters.previous')?.href ?? null),
      runs: [],
    };
    // What a reader sees first (each chapter's first page whole), before anything is pressed.
    const full = firstPages.has(entry.html);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop', `${slug(entry)}${full ? '.full' : ''}.png`), fullPage: full });
    // Open every <details> (solutions, answers), as a reader who wants to see them does.
    await page.evaluate(() => document.querySelectorAll('main details').forEach(d => { d.open = true; }));
    if (await page.locator('pre.playground').count()) await runButtonsReady(page);
    Object.assign(found, await page.evaluate(surveyListings));

    // Press every Run button: each request must carry its listing's code, and each answer
    // must show under its listing. The first button of a page is pressed with the mouse, as a
    // reader does (hover shows the buttons); the others are clicked from the page, which is
    // quicker and runs the same handler.
    const runnable = found.listings.filter(l => l.runButtonShown);
    const before = runs.length;
    for (const [i, listing] of runnable.entries()) {
      const pre = page.locator('pre.playground').nth(listing.playgroundIndex);
      try {
        if (i === 0) {
          await pre.hover({ timeout: 5000 });
          await pre.locator('.play-button').click({ timeout: 5000 });
          await page.waitForFunction(() => document.querySelector('pre.playground .result'), null, { timeout: 5000 });
        } else {
          await pre.locator('.play-button').evaluate(button => button.click());
        }
      } catch (error) {
        problems.push(`pressing Run on listing ${listing.index + 1}: ${error.message.split('\n')[0]}`);
      }
    }
    if (runnable.length) {
      await page.waitForFunction(() => [...document.querySelectorAll('pre.playground .result')]
        .every(r => r.textContent.startsWith('playground answer')), null, { timeout: 5000 }).catch(() => {});
    }
    const sent = runs.slice(before);
    for (const listing of runnable) {
      // Match each request to its listing by the answer shown under the listing.
      const shown = await page.evaluate(n => document.querySelectorAll('pre.playground')[n]
        .querySelector('.result')?.textContent ?? '', listing.playgroundIndex);
      const number = Number(/^playground answer #(\d+)$/.exec(shown)?.[1]);
      found.runs.push({ listing, sent: number ? [runs[number - 1]] : [], shown, requests: sent.length });
    }
    survey.set(entry.html, found);
    found.problems.push(...seen.splice(0));
  }
  await context.close();
});

after(async () => {
  await book?.close();
});

/** Fails with every problem at once, one per line, so one run shows them all. */
function none(problems, what) {
  assert.deepEqual(problems, [], `${what}:\n  ${problems.join('\n  ')}`);
}

test('every page of SUMMARY.md is built and has its title', () => {
  assert.ok(pages.length > 0, 'SUMMARY.md lists no page');
  const problems = [];
  for (const entry of pages) {
    const found = survey.get(entry.html);
    if (found.status !== 200) problems.push(`${entry.html}: HTTP ${found.status} (not built?)`);
    else if (!found.title.startsWith(entry.title)) {
      problems.push(`${entry.html}: title "${found.title}", expected "${entry.title} - …"`);
    }
  }
  none(problems, 'pages missing from the built book');
});

test('every page loads with no console error, no failed request, nothing from off 127.0.0.1', () => {
  const problems = [];
  for (const [html, found] of survey) {
    problems.push(...renderProblems(found.rendered, html));
    problems.push(...found.problems.map(p => `${html}: ${p}`));
    problems.push(...found.outside.map(url => `${html}: asked for ${url} (only 127.0.0.1 and the Playground may be asked)`));
  }
  none(problems, 'pages with errors');
});

test('every link inside the book leads to a page that exists, and every #anchor to an id on it', () => {
  // The book's only link check (it replaced mdbook-linkcheck2, which checked pages but not
  // anchors): in the built HTML, so a renamed heading cannot leave a dead link behind, and a
  // link that leaves the book's folder (to ../../examples/, say) is a missing file here.
  const files = [];
  const walk = dir => readdirSync(dir, { withFileTypes: true }).forEach(e => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) walk(file);
    else if (e.name.endsWith('.html')) files.push(file);
  });
  walk(BOOK_HTML);
  const ids = new Map();
  const idsOf = file => {
    if (!ids.has(file)) {
      const html = readFileSync(file, 'utf8');
      ids.set(file, new Set([...html.matchAll(/\s(?:id|name)="([^"]+)"/g)].map(m => m[1])));
    }
    return ids.get(file);
  };
  const problems = [];
  let links = 0;
  for (const file of files) {
    const html = readFileSync(file, 'utf8');
    const from = path.relative(BOOK_HTML, file);
    for (const [, raw] of html.matchAll(/<a\s[^>]*?href="([^"]*)"/g)) {
      const href = raw.replaceAll('&amp;', '&');
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href === '#' || href === '') continue; // off the book
      links++;
      const url = new URL(href, `http://book/${from}`);
      let target = path.join(BOOK_HTML, decodeURIComponent(url.pathname));
      if (url.pathname.endsWith('/')) target = path.join(target, 'index.html');
      if (!existsSync(target)) {
        problems.push(`${from}: ${href}: no such file`);
        continue;
      }
      const anchor = decodeURIComponent(url.hash.slice(1));
      if (anchor && target.endsWith('.html') && !idsOf(target).has(anchor)) {
        problems.push(`${from}: ${href}: ${path.relative(BOOK_HTML, target)} has no id "${anchor}"`);
      }
    }
  }
  none(problems, 'broken links');
  console.log(`# ${links} links inside the book checked, anchors included`);
});

test('every picture has alt text: <img alt>, or an SVG with role="img" and a <title> or aria-label', () => {
  const problems = [];
  let count = 0;
  for (const [html, found] of survey) {
    for (const picture of found.pictures) {
      count++;
      const where = `${html}: ${picture.kind} ${picture.source}`;
      if (picture.kind === 'img') {
        if (!picture.alt) problems.push(`${where}: empty or missing alt`);
        if (!picture.loaded) problems.push(`${where}: did not load`);
        continue;
      }
      if (picture.role !== 'img') problems.push(`${where}: needs role="img"`);
      if (!picture.title && !picture.ariaLabel) problems.push(`${where}: needs a <title> or an aria-label`);
      for (const { id, text } of picture.labelledBy) {
        if (!text) problems.push(`${where}: aria-labelledby names "${id}", which is missing or empty`);
      }
    }
  }
  none(problems, 'pictures without alt text');
  console.log(`# ${count} pictures checked`);
});

test('every runnable listing has a Run button that sends its code and shows the answer', () => {
  const problems = [];
  let runs = 0;
  for (const [html, found] of survey) {
    for (const listing of found.listings.filter(l => l.runnable && !l.noRun)) {
      if (!listing.runButtonShown) problems.push(`${html}: runnable listing ${listing.index + 1} shows no Run button`);
    }
    const pressed = found.runs.length;
    if (found.runs.some(r => r.requests !== pressed)) {
      problems.push(`${html}: ${pressed} Run buttons pressed, ${found.runs[0].requests} requests to ${PLAYGROUND}evaluate.json`);
    }
    for (const { listing, sent, shown } of found.runs) {
      runs++;
      const where = `${html}: listing ${listing.index + 1}`;
      if (sent.length !== 1) {
        problems.push(`${where}: no answer under the listing after pressing Run ("${shown}")`);
        continue;
      }
      const [body] = sent;
      if (body.code !== listing.code) problems.push(`${where}: Run sent other code than the listing's`);
      if (!/\bfn main\s*\(/.test(body.code)) problems.push(`${where}: Run sent code without fn main`);
      if (body.edition !== listing.edition) {
        problems.push(`${where}: Run asked for edition ${body.edition}, the listing is ${listing.edition}`);
      }
      if (!shown.startsWith('playground answer')) problems.push(`${where}: the answer did not show: "${shown}"`);
    }
  }
  none(problems, 'Run buttons');
  assert.ok(runs > 0, 'no Run button was pressed: does the book still have runnable listings?');
  console.log(`# ${runs} Run buttons pressed`);
});

test('noplayground listings have no Run button, and their page says how to run them locally', () => {
  const problems = [];
  for (const [html, found] of survey) {
    const local = found.listings.filter(l => l.noplayground);
    for (const listing of local) {
      if (listing.hasRunButton) problems.push(`${html}: noplayground listing ${listing.index + 1} has a Run button`);
    }
    const runLines = found.commands.flatMap(c => c.lines).filter(l => /^cargo (\+\S+ )?run\b/.test(l));
    if (local.length && !runLines.length) {
      problems.push(`${html}: ${local.length} noplayground listing(s), but no \`$ cargo run …\` line on the page`);
    }
  }
  none(problems, 'listings that run only locally');
});

test('every `$ cargo run` line has a button that copies the command', async () => {
  const problems = [];
  for (const [html, found] of survey) {
    for (const { lines, buttons } of found.commands) {
      if (JSON.stringify(lines) !== JSON.stringify(buttons)) {
        problems.push(`${html}: commands ${JSON.stringify(lines)} but copy buttons ${JSON.stringify(buttons)}`);
      }
    }
  }
  none(problems, 'copy buttons');

  // Press one, as a reader would, and read the clipboard.
  const entry = pages.find(p => survey.get(p.html).commands.some(c => c.lines.length));
  assert.ok(entry, 'no page shows a `$ cargo run` line');
  const expected = survey.get(entry.html).commands.find(c => c.lines.length).lines[0];
  const context = await book.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: book.server.url });
  const page = await context.newPage();
  await page.goto(book.url(entry));
  await page.evaluate(() => navigator.clipboard.writeText('nothing copied yet'));
  const button = page.locator('pre > code .copy-command').first();
  await button.click();
  await page.waitForFunction(() => document.querySelector('pre > code .copy-command.copied'));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected);
  assert.doesNotMatch(expected, /^\$/);
  await context.close();
});

test('at 1280 px, no code block scrolls sideways and every copy button is in view', () => {
  const problems = [];
  for (const [html, found] of survey) {
    problems.push(...found.overflows.map(o => `${html}: ${o}`));
    problems.push(...found.offscreen.map(c => `${html}: the copy button of \`${c}\` is outside its block`));
  }
  none(problems, 'code that does not fit the page');
});

test(`timelines are readable in every theme (${THEMES.join(', ')}): text contrast ≥ ${MIN_CONTRAST}`, async () => {
  const withPictures = pages.filter(p => survey.get(p.html).pictures.some(x => x.kind === 'svg'));
  assert.ok(withPictures.length > 0, 'no page has an SVG picture');
  const problems = [];
  const unreadable = new Map();
  let measured = 0;
  const context = await book.newContext();
  const page = await context.newPage();
  for (const entry of withPictures) {
    await page.goto(book.url(entry));
    // mdBook fades colours over up to 0.5 s when the theme changes; measure the end result.
    await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; }' });
    for (const theme of THEMES) {
      // Pick the theme as a reader does: the paintbrush, then the theme's name.
      if (!(await page.locator('#mdbook-theme-list').isVisible())) await page.click('#mdbook-theme-toggle');
      await page.click(`#mdbook-theme-${theme}`);
      await page.evaluate(() => Promise.all(document.getAnimations().map(a => a.finished)));
      const current = await page.evaluate(() => [document.documentElement.className, localStorage.getItem('mdbook-theme')]);
      assert.ok(current[0].split(' ').includes(theme) && current[1] === theme, `theme ${theme} was not applied: ${current}`);
      for (const text of await page.evaluate(measureContrast)) {
        measured++;
        const what = `${entry.html} "${text.picture}"`;
        if (text.problem) problems.push(`${what} [${theme}]: text "${text.text}" ${text.problem}`);
        else if (text.ratio < MIN_CONTRAST) {
          // One line per picture and pair of colours, naming the themes and texts.
          const key = `${what}: ${text.color} on ${text.background}, contrast ${text.ratio} < ${MIN_CONTRAST}`;
          const seen = unreadable.get(key) ?? { themes: new Set(), texts: new Set() };
          seen.themes.add(theme);
          seen.texts.add(text.text);
          unreadable.set(key, seen);
        }
      }
    }
  }
  await context.close();
  for (const [key, { themes, texts }] of unreadable) {
    problems.push(`${key} in ${[...themes].join(', ')}: ${[...texts].slice(0, 4).map(t => `"${t}"`).join(', ')}${texts.size > 4 ? ', …' : ''}`);
  }
  none(problems, 'unreadable timeline text');
  console.log(`# ${measured} texts measured (${withPictures.length} pages × ${THEMES.length} themes)`);
});

/**
 * Measures the text of the page's step-throughs in every theme: a text not shown goes to
 * `problems`, one below MIN_CONTRAST to `unreadable` (a set: the same text repeats).
 */
async function stepperContrast(page, where, problems, unreadable) {
  for (const theme of THEMES) {
    if (!(await page.locator('#mdbook-theme-list').isVisible())) await page.click('#mdbook-theme-toggle');
    await page.click(`#mdbook-theme-${theme}`);
    await page.evaluate(() => Promise.all(document.getAnimations().map(a => a.finished)));
    for (const text of await page.evaluate(measureContrast, '.stepper')) {
      if (text.problem) problems.push(`${where} [${theme}]: "${text.text}" ${text.problem}`);
      else if (text.ratio < MIN_CONTRAST) {
        unreadable.add(`${where} [${theme}]: "${text.text}" ${text.color} on ${text.background}, contrast ${text.ratio} < ${MIN_CONTRAST}`);
      }
    }
  }
}

test(`step-throughs work offline, by button and by key, are told in text, and are readable in every theme`, async () => {
  const withSteppers = pages.filter(p => survey.get(p.html).steppers > 0);
  assert.ok(withSteppers.length > 0, 'no page has a step-through (<div class="stepper" data-trace=…>)');
  const problems = [];
  const unreadable = new Set();
  let steps = 0;
  const context = await book.newContext({ offline: true });
  const page = await context.newPage();
  const seen = watch(page, { ignore: (text, url = '') => url.startsWith(PLAYGROUND) || text === 'Failed to fetch' });
  for (const entry of withSteppers) {
    await page.goto(book.url(entry));
    await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; }' });
    const steppers = page.locator('.stepper[data-trace]');
    for (let n = 0; n < await steppers.count(); n++) {
      const stepper = steppers.nth(n);
      const trace = await stepper.getAttribute('data-trace');
      const where = `${entry.html} ${trace}`;
      const events = JSON.parse(readFileSync(path.join(BOOK_HTML, trace), 'utf8'));
      if (events[0]?.schedules) continue; // a scheduler game: the next test plays it
      await stepper.locator('.stepper-state').waitFor({ timeout: 5000 })
        .catch(() => { throw new Error(`${where}: the step-through did not start (${seen.join('; ')})`); });
      const state = () => stepper.locator('.stepper-state').innerText();
      const said = () => stepper.locator('.stepper-said').innerText();
      assert.equal(await stepper.locator('.stepper-said').getAttribute('aria-live'), 'polite', `${where}: no live region`);
      const button = name => stepper.getByRole('button', { name, exact: true });

      // Buttons: N steps forward and N back reach the same states.
      const k = Math.min(7, events.length);
      const start = await state();
      for (let i = 0; i < k; i++) await button('Forward ▶').click();
      const ahead = await state();
      if (ahead === start) problems.push(`${where}: ${k} steps forward changed nothing`);
      for (let i = 0; i < k; i++) await button('◀ Back').click();
      if (await state() !== start) problems.push(`${where}: ${k} steps forward and ${k} back did not return to the start`);

      // Keys, with the widget focused: the same states, and the page stays put (mdBook's
      // arrows would turn it). Every step is told in a sentence naming its task.
      await stepper.focus();
      const url = page.url();
      let before = await said();
      for (let i = 0; i < events.length; i++) {
        await page.keyboard.press('ArrowRight');
        const sentence = await said();
        steps++;
        if (i + 1 === k && await state() !== ahead) problems.push(`${where}: → ${k} times shows another state than Forward ${k} times`);
        if (sentence === before || !sentence.includes(`task ${events[i].task}`)) {
          problems.push(`${where}: step ${i + 1} (${events[i].event} of task ${events[i].task}) is told as "${sentence}"`);
        }
        before = sentence;
        // A step from a line of the listing marks that line, inside the listing above.
        const code = events[i].site?.code;
        const marks = page.locator('.stepper-line');
        if (code) {
          const mark = await marks.count() === 1 && await marks.evaluate(m => {
            const pre = m.closest('pre');
            const [a, b] = [m.getBoundingClientRect(), pre.getBoundingClientRect()];
            return { code: m.dataset.code, text: pre.innerText, inside: a.height > 0 && a.top >= b.top && a.bottom <= b.bottom };
          });
          if (!mark || mark.code !== code || !mark.inside || !mark.text.includes(code)) {
            problems.push(`${where}: step ${i + 1} does not mark \`${code}\` in the listing (${JSON.stringify(mark)})`);
          }
        } else if (await marks.count() !== 0) {
          problems.push(`${where}: step ${i + 1} (${events[i].event}) marks a line it did not come from`);
        }
      }
      if (page.url() !== url) problems.push(`${where}: → in the step-through turned the page`);
      // At the end each task is done or panicked, as the trace says.
      const expected = {};
      for (const e of events) {
        if (e.event === 'ready') expected[e.task] = 'done';
        if (e.event === 'panicked') expected[e.task] = 'panicked';
      }
      const shown = Object.fromEntries(await stepper.locator('.stepper-tasks tbody tr').evaluateAll(rows => rows.map(
        row => [row.querySelector('th').textContent.replace('task ', ''), row.querySelector('td').dataset.state])));
      assert.deepEqual(shown, expected, `${where}: the tasks' states at the end of the run`);
      // What the tasks printed, in order, as the trace recorded it.
      const lines = events.filter(e => e.event === 'said').map(e => e.text);
      if (lines.length) {
        const printed = await stepper.locator('.stepper-output').innerText();
        if (printed !== lines.join('\n')) problems.push(`${where}: the output at the end is "${printed}"`);
      }
      for (let i = 0; i < events.length; i++) await page.keyboard.press('ArrowLeft');
      if (await state() !== start) problems.push(`${where}: ← back from the end did not return to the start`);
      await page.keyboard.press('End');
      await page.keyboard.press('Home');
      if (await state() !== start) problems.push(`${where}: Home did not return to the start`);
      await page.keyboard.press(' ');
      if (await button('Pause').getAttribute('aria-pressed') !== 'true') problems.push(`${where}: space did not play`);
      await page.keyboard.press(' ');
      if (await button('Play').getAttribute('aria-pressed') !== 'false') problems.push(`${where}: space did not pause`);

      // Readable in every theme, mid-run (a task waiting, one ready, one running).
      await page.keyboard.press('Home');
      for (let i = 0; i < k; i++) await page.keyboard.press('ArrowRight');
      await stepperContrast(page, where, problems, unreadable);
      await stepper.screenshot({ path: path.join(SCREENSHOTS, 'desktop', `${slug(entry)}.stepper-${n + 1}.png`) });
    }
    problems.push(...seen.splice(0).map(p => `${entry.html}: ${p}`));
  }
  await context.close();
  problems.push(...unreadable);

  // In print, the placeholder's words take the widget's place.
  {
    const paper = await book.newContext({ offline: true });
    const page = await paper.newPage();
    await page.goto(book.url(withSteppers[0]));
    await page.locator('.stepper-ready').first().waitFor({ timeout: 5000 });
    await page.emulateMedia({ media: 'print' });
    if (await page.locator('.stepper-ready').first().isVisible()) problems.push(`${withSteppers[0].html} (print): the widget is printed`);
    const words = page.locator('.stepper-print').first();
    if (!(await words.isVisible()) || !/needs JavaScript/.test(await words.innerText())) {
      problems.push(`${withSteppers[0].html} (print): the placeholder's words are not printed`);
    }
    await paper.close();
  }

  // Without JavaScript, or when the trace cannot be had, the placeholder's text stays.
  for (const [what, options] of [['JavaScript off', { javaScriptEnabled: false }], ['trace missing', {}]]) {
    const other = await book.newContext({ offline: true, ...options });
    await other.route(url => url.pathname.endsWith('.json'), route => route.abort('blockedbyclient'));
    const page = await other.newPage();
    await page.goto(book.url(withSteppers[0]), { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('.stepper').dataset.failed !== undefined
      || !document.querySelector('html').classList.contains('js'), null, { timeout: 5000 }).catch(() => {});
    const text = await page.locator('.stepper').first().innerText();
    if (!/needs JavaScript/.test(text)) problems.push(`${withSteppers[0].html} (${what}): the placeholder shows "${text}"`);
    await other.close();
  }
  none(problems, 'step-throughs');
  console.log(`# ${steps} steps taken in ${withSteppers.length} page(s), ${THEMES.length} themes measured`);
});

test('the scheduler game: every schedule can be chosen, by button and by key, and ends as recorded', async () => {
  const withGames = pages.filter(p => survey.get(p.html).steppers > 0);
  const problems = [];
  const unreadable = new Set();
  let played = 0;
  const context = await book.newContext({ offline: true });
  const page = await context.newPage();
  const seen = watch(page, { ignore: (text, url = '') => url.startsWith(PLAYGROUND) || text === 'Failed to fetch' });
  for (const entry of withGames) {
    await page.goto(book.url(entry));
    await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; }' });
    const steppers = page.locator('.stepper[data-trace]');
    for (let n = 0; n < await steppers.count(); n++) {
      const game = steppers.nth(n);
      const trace = await game.getAttribute('data-trace');
      const variants = JSON.parse(readFileSync(path.join(BOOK_HTML, trace), 'utf8'));
      if (!variants[0]?.schedules) continue;
      await game.locator('.stepper-state').waitFor({ timeout: 5000 })
        .catch(() => { throw new Error(`${entry.html} ${trace}: the game did not start (${seen.join('; ')})`); });
      const button = name => game.getByRole('button', { name, exact: true });
      for (const [v, variant] of variants.entries()) {
        if (variants.length > 1) {
          await button(`Program ${variant.variant}`).click();
          if (await button(`Program ${variant.variant}`).getAttribute('aria-pressed') !== 'true') {
            problems.push(`${trace}: "Program ${variant.variant}" is not shown as pressed`);
          }
        }
        // Forward and back again lands on the same state, choices included.
        await game.focus();
        await page.keyboard.press('Home');
        const state = () => game.innerText();
        const start = await state();
        let forward = 0;
        for (; forward < 12; forward++) {
          if (await game.locator('.stepper-choices button').count()) {
            await page.keyboard.press(String(variant.schedules.at(-1).picks[0]));
          } else if (await button('Forward ▶').isDisabled()) {
            break;
          } else {
            await page.keyboard.press('ArrowRight');
          }
        }
        for (let back = 0; back < forward; back++) await page.keyboard.press('ArrowLeft');
        if (await state() !== start) problems.push(`${trace} [${variant.variant}]: ${forward} steps forward and back did not return to the start`);
        for (const [i, schedule] of variant.schedules.entries()) {
          const where = `${entry.html} ${trace} [${variant.variant}, picks ${schedule.picks.join(' ')}]`;
          await game.focus();
          await page.keyboard.press('Home');
          // Step with → to each decision, check that the run waits for it, then choose the
          // schedule's task: by its button on even schedules, by its number key on odd ones.
          let chosen = 0;
          for (let guard = 0; guard < 500; guard++) {
            const choices = game.locator('.stepper-choices button');
            if (await choices.count()) {
              if (chosen === schedule.picks.length) { problems.push(`${where}: asks for a choice the schedule does not make`); break; }
              if (!(await button('Forward ▶').isDisabled())) problems.push(`${where}: Forward is enabled while the run waits for a choice`);
              const id = schedule.picks[chosen++];
              if (i % 2 === 0) {
                await button(`Poll task ${id}`).click();
                await game.focus();
              } else {
                await page.keyboard.press(String(id));
              }
              continue;
            }
            if (await button('Forward ▶').isDisabled()) break;
            await page.keyboard.press('ArrowRight');
          }
          if (chosen !== schedule.picks.length) problems.push(`${where}: made ${chosen} of ${schedule.picks.length} choices`);
          const printed = await game.locator('.stepper-output').innerText();
          const expected = schedule.output.length ? schedule.output.join('\n') : '(nothing printed yet)';
          if (printed !== expected) problems.push(`${where}: printed "${printed}", recorded "${expected}"`);
          const outcome = await game.locator('.stepper-outcome').innerText();
          for (const id of schedule.stuck) {
            if (!outcome.includes(`Task ${id} never finished`)) problems.push(`${where}: the outcome "${outcome}" does not say task ${id} never finished`);
          }
          const same = variant.schedules.filter(s => JSON.stringify([s.output, s.stuck]) === JSON.stringify([schedule.output, schedule.stuck]));
          if (!outcome.includes(`${same.length} of the ${variant.schedules.length} schedules ${same.length === 1 ? 'leads' : 'lead'} here`)) {
            problems.push(`${where}: the outcome "${outcome}" miscounts`);
          }
          // Back over the last decision undoes it: the run waits for that choice again.
          if (schedule.picks.length) {
            for (let guard = 0; guard < 500 && !(await game.locator('.stepper-choices button').count()); guard++) {
              await page.keyboard.press('ArrowLeft');
            }
            if (!(await game.locator('.stepper-choices button').count())) problems.push(`${where}: stepping back never reached the last choice again`);
          }
          played++;
        }
        // Readable in every theme at a decision, with the choice buttons showing.
        if (v === 0) {
          await page.keyboard.press('Home');
          for (let guard = 0; guard < 500 && !(await game.locator('.stepper-choices button').count()); guard++) {
            await page.keyboard.press('ArrowRight');
          }
          await stepperContrast(page, trace, problems, unreadable);
          await game.screenshot({ path: path.join(SCREENSHOTS, 'desktop', `${slug(entry)}.game-${n + 1}.png`) });
        }
      }
    }
    problems.push(...seen.splice(0).map(p => `${entry.html}: ${p}`));
  }
  await context.close();
  problems.push(...unreadable);
  assert.ok(played > 0, 'no page has a scheduler game');
  none(problems, 'scheduler games');
  console.log(`# ${played} schedules played to their end`);
});

test('arrow keys move to the next and previous page, in SUMMARY.md order', async () => {
  // Every page's arrows lead where SUMMARY.md says (what the keys follow)...
  const problems = [];
  pages.forEach((entry, i) => {
    const { next, previous } = survey.get(entry.html);
    const want = (p) => (p ? book.url(p) : null);
    if (next !== want(pages[i + 1])) problems.push(`${entry.html}: next leads to ${next}, not ${want(pages[i + 1])}`);
    if (previous !== want(pages[i - 1])) problems.push(`${entry.html}: previous leads to ${previous}, not ${want(pages[i - 1])}`);
  });
  none(problems, 'page order');
  // ...and the keys follow them: forward and back at the start, across each chapter's start,
  // and at the end.
  const context = await book.newContext();
  const page = await context.newPage();
  const starts = bookChapters().map(c => pages.findIndex(p => p.html === c.first.html)).filter(i => i > 0);
  for (const i of [...new Set([1, ...starts, pages.length - 1])]) {
    await page.goto(book.url(pages[i - 1]));
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(book.url(pages[i]), { timeout: 5000 });
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL(book.url(pages[i - 1]), { timeout: 5000 });
  }
  await context.close();
});

test('search finds each chapter by its key terms (book/search-terms.toml)', async () => {
  const terms = searchTerms();
  const chapters = bookChapters();
  const missing = chapters.filter(c => !terms.has(c.folder)).map(c => c.folder);
  assert.deepEqual(missing, [], `chapters of SUMMARY.md with no entry in book/search-terms.toml: ${missing.join(', ')}. `
    + 'Add [<folder>] with terms = ["…"]: words a reader would search for that lead to the chapter.');
  const waiting = [...terms.keys()].filter(folder => !chapters.some(c => c.folder === folder));
  if (waiting.length) console.log(`# search terms for chapters not in SUMMARY.md yet (skipped): ${waiting.join(', ')}`);

  const problems = [];
  const context = await book.newContext();
  const page = await context.newPage();
  await page.goto(book.url(pages[0]));
  for (const { folder } of chapters) {
    for (const term of terms.get(folder)) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('s'); // mdBook's shortcut, as its help (press ?) says
      await page.locator('#mdbook-searchbar').fill('');
      await page.locator('#mdbook-searchbar').pressSequentially(term); // mdBook searches on keyup
      await page.waitForFunction(t => document.querySelector('#mdbook-searchresults-header')?.textContent.includes(`'${t}'`), term, { timeout: 10000 })
        .catch(async () => { throw new Error(`searching "${term}": ${await page.locator('#mdbook-searchresults-outer').textContent()}`); });
      const results = await page.$$eval('#mdbook-searchresults li a', links => links.slice(0, 5).map(a => a.href));
      const hit = results.findIndex(href => new URL(href).pathname.includes(`/${folder}/`));
      if (hit < 0) {
        problems.push(`"${term}": none of the first ${results.length} results is in ${folder}: ${results.map(r => new URL(r).pathname).join(', ')}`);
        continue;
      }
      // Follow the result: the chapter's page opens with the term highlighted.
      await page.locator('#mdbook-searchresults li a').nth(hit).click();
      await page.waitForURL(url => url.pathname.includes(`/${folder}/`) && url.searchParams.get('highlight') === term);
      await page.waitForLoadState();
      const marked = await page.waitForFunction(() => [...document.querySelectorAll('main mark')].some(m => m.checkVisibility()), null, { timeout: 5000 })
        .then(() => true, () => false);
      if (!marked) problems.push(`"${term}": ${new URL(page.url()).pathname} opens with no visible highlight`);
    }
  }
  await context.close();
  none(problems, 'search');
});

test('each quiz renders offline, and answering every question right scores full marks', async () => {
  const withQuizzes = pages.filter(p => survey.get(p.html).quizzes > 0);
  assert.ok(withQuizzes.length > 0, 'no page has a quiz');
  const context = await book.newContext({ offline: true });
  const page = await context.newPage();
  for (const entry of withQuizzes) {
    await page.goto(book.url(entry));
    const quizzes = page.locator('.quiz-placeholder');
    for (let q = 0; q < await quizzes.count(); q++) {
      const quiz = quizzes.nth(q);
      const { questions } = JSON.parse(await quiz.getAttribute('data-quiz-questions'));
      await quiz.getByRole('button', { name: 'Start' }).click();
      for (const question of questions) {
        const form = quiz.locator('form.response');
        const { answer } = question;
        if (question.type === 'MultipleChoice') {
          // A question with several right answers has checkboxes: tick each.
          const right = [answer.answer].flat();
          await form.locator('input[type=radio], input[type=checkbox]').evaluateAll((inputs, right) => {
            for (const want of right) {
              const input = inputs.find(i => i.value === want);
              if (!input) throw new Error(`no choice is the answer ${want}`);
              input.click();
            }
          }, right);
        } else if (question.type === 'ShortAnswer') {
          await form.locator('[name=answer]').fill(answer.answer);
        } else if (question.type === 'Tracing') {
          await form.locator(`input[name=doesCompile][value=${answer.doesCompile}]`).click();
          if (answer.doesCompile) await form.locator('[name=stdout]').fill(answer.stdout ?? '');
        } else {
          assert.fail(`${entry.html}: a ${question.type} question: teach this test to answer it`);
        }
        await form.locator('input[type=submit]').click();
      }
      await quiz.getByText(`You answered ${questions.length}/${questions.length} questions correctly`).waitFor({ timeout: 5000 });
    }
  }
  await context.close();
});

test('a reader can edit a listing, keep the edit across pages, run it, and undo it', async () => {
  // A page whose first runnable listing is read-only (most are), and the page after it.
  const index = pages.findIndex(p => survey.get(p.html).listings.some(l => l.runnable && !l.editable && !l.noRun));
  assert.ok(index >= 0 && index + 1 < pages.length, 'no page with a read-only runnable listing');
  const entry = pages[index];
  const listing = survey.get(entry.html).listings.find(l => l.runnable && !l.editable && !l.noRun);
  const key = `concurrency-hands-on.edit:${entry.html}#${listing.playgroundIndex}`;
  const edit = '// the browser test was here';

  const context = await book.newContext({ onRun: body => `ran ${body.code.length} bytes` });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(book.url(entry));
  await runButtonsReady(page);
  const pre = page.locator('pre.playground').nth(listing.playgroundIndex);
  const editor = () => page.evaluate(n => {
    const code = document.querySelectorAll('pre.playground')[n].querySelector('code');
    return code.classList.contains('ace_editor') ? window.ace.edit(code).getValue() : null;
  }, listing.playgroundIndex);

  await pre.hover();
  await pre.locator('.edit-button').click();
  assert.equal(await editor(), listing.code, 'the editor must start with the whole program the Run button sends');
  await page.keyboard.press('Control+End');
  await page.keyboard.type(`\n${edit}`);
  assert.equal(await editor(), `${listing.code}\n${edit}`);
  assert.ok((await page.evaluate(k => localStorage.getItem(k), key))?.includes(edit), `no saved copy under ${key}`);

  // Run sends the edited code.
  await pre.hover();
  await pre.locator('.play-button').click();
  await pre.locator('.result').filter({ hasText: 'ran' }).waitFor();
  assert.ok(context.runs.at(-1).code.endsWith(edit), 'Run did not send the edited code');

  // Another page, then back: the edit is still there, in an editor.
  await page.goto(book.url(pages[index + 1]));
  await page.goto(book.url(entry));
  await runButtonsReady(page);
  assert.equal(await editor(), `${listing.code}\n${edit}`, 'the edit was not kept across pages');
  assert.ok(await pre.evaluate(e => e.classList.contains('edited-listing')), 'a kept edit must be marked as the reader\'s');

  // mdBook's "Undo changes" restores the book's code and forgets the saved copy.
  await pre.hover();
  await pre.locator('.reset-button').click();
  assert.equal(await editor(), listing.code);
  assert.equal(await page.evaluate(k => localStorage.getItem(k), key), null, 'undo kept the saved copy');
  assert.ok(!(await pre.evaluate(e => e.classList.contains('edited-listing'))), 'after undo the listing is the book\'s again');
  await page.reload();
  assert.equal(await editor(), null, 'after undo and a reload the listing is read-only again');

  // The same for a listing mdBook itself makes editable (```rust,editable), if the book has one.
  const native = pages.find(p => survey.get(p.html).listings.some(l => l.editable));
  if (native) {
    const n = survey.get(native.html).listings.find(l => l.editable).playgroundIndex;
    const nativeKey = `concurrency-hands-on.edit:${native.html}#${n}`;
    await page.goto(book.url(native));
    const block = page.locator('pre.playground').nth(n);
    await block.locator('.ace_content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(`\n${edit}`);
    await page.reload();
    const kept = await page.evaluate(i => window.ace.edit(document.querySelectorAll('pre.playground')[i].querySelector('code')).getValue(), n);
    assert.ok(kept.endsWith(edit), `${native.html}: the edit of an editable listing was not kept`);
    await block.hover();
    await block.locator('.reset-button').click();
    assert.equal(await page.evaluate(k => localStorage.getItem(k), nativeKey), null, `${native.html}: undo kept the saved copy`);
  }
  none(problems, 'errors while editing');
  await context.close();
});

test('offline, with the Playground blocked too, every page renders from its own files (phone width); screenshots', async () => {
  const folder = path.join(SCREENSHOTS, 'phone');
  mkdirSync(folder, { recursive: true });
  const firstPages = new Set(bookChapters().map(c => c.first.html));
  const problems = [];
  const context = await book.newContext({ offline: true, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  // Offline, only the Run button's requests to the Playground may fail: mdBook then shows no
  // Run button, and its unanswered fetch ends in an uncaught "Failed to fetch".
  const seen = watch(page, { ignore: (text, url = '') => url.startsWith(PLAYGROUND) || text === 'Failed to fetch' });
  for (const entry of pages) {
    await page.goto(book.url(entry), { waitUntil: 'load' });
    problems.push(...renderProblems(await page.evaluate(renderFacts), entry.html));
    const full = firstPages.has(entry.html);
    await page.screenshot({ path: path.join(folder, `${slug(entry)}${full ? '.full' : ''}.png`), fullPage: full });
    problems.push(...seen.splice(0).map(p => `${entry.html}: ${p}`));
  }
  problems.push(...context.outside.filter(url => !url.startsWith(PLAYGROUND)).map(url => `blocked ${url}`));
  await context.close();
  console.log(`# screenshots: ${relative(SCREENSHOTS)}/desktop/ and phone/ (${pages.length} pages each; *.full.png: each chapter's first page, whole)`);
  none(problems, 'pages that need the internet');
});

test('the built book is small: its size and its heaviest page', () => {
  let total = 0;
  const walk = dir => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      const stat = statSync(file);
      if (stat.isDirectory()) walk(file);
      else total += stat.size;
    }
  };
  walk(BOOK_HTML);
  const [heaviest] = [...survey].sort((a, b) => b[1].bytes - a[1].bytes);
  const [slowest] = [...survey].sort((a, b) => b[1].loadMs - a[1].loadMs);
  const mb = n => `${(n / 1e6).toFixed(1)} MB`;
  console.log(`# the built book: ${mb(total)} in ${relative(BOOK_HTML)}/`);
  console.log(`# heaviest page: ${heaviest[0]}, ${mb(heaviest[1].bytes)} with everything it loads`);
  console.log(`# slowest page to load here: ${slowest[0]}, ${slowest[1].loadMs} ms`);
  // Generous limits, to catch an accident (a video, a huge picture), not to squeeze bytes.
  assert.ok(total < 40e6, `the built book is ${mb(total)}: over 40 MB`);
  assert.ok(heaviest[1].bytes < 6e6, `${heaviest[0]} loads ${mb(heaviest[1].bytes)}: over 6 MB`);
});
