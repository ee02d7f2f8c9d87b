// Functions that run inside a page (passed to page.evaluate): each reads what a reader would
// see and returns plain data for the tests to judge. They must not use anything from Node.

/**
 * The pictures of the page's content: every <img>, and every <svg> that is a picture (it has
 * role="img", or it is in a <figure>), with what a screen reader would announce for it.
 */
export function surveyPictures() {
  const main = document.querySelector('main') ?? document.body;
  const text = element => (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const pictures = [];
  for (const img of main.querySelectorAll('img')) {
    pictures.push({
      kind: 'img',
      source: img.getAttribute('src'),
      alt: (img.getAttribute('alt') ?? '').trim(),
      loaded: img.complete && img.naturalWidth > 0,
    });
  }
  for (const svg of main.querySelectorAll('svg')) {
    if (svg.getAttribute('role') !== 'img' && !svg.closest('figure')) continue; // an icon in text
    const labelledBy = (svg.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
    pictures.push({
      kind: 'svg',
      source: svg.id || text(svg.querySelector(':scope > title')) || svg.outerHTML.slice(0, 120),
      role: svg.getAttribute('role'),
      title: text(svg.querySelector(':scope > title')),
      ariaLabel: (svg.getAttribute('aria-label') ?? '').trim(),
      desc: text(svg.querySelector(':scope > desc')),
      // Each id aria-labelledby names, with the text it points at ('' when it points nowhere).
      labelledBy: labelledBy.map(id => ({ id, text: text(document.getElementById(id)) })),
    });
  }
  return pictures;
}

/**
 * Without `selector`: the contrast of every text of every picture SVG against what is behind
 * it: the page's background, then each filled shape of the SVG under the text's centre (bars,
 * row stripes), blended by their opacity. With `selector` (a widget, say): the contrast of the
 * HTML text inside each element it matches, for every element with text of its own, against
 * the backgrounds of it and its ancestors. Returns one entry per text.
 */
export function measureContrast(selector) {
  const parse = color => {
    const match = /rgba?\(([^)]+)\)/.exec(color ?? '');
    if (!match) return null;
    const [r, g, b, a = 1] = match[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const over = (top, bottom, alpha) => ({
    r: top.r * alpha + bottom.r * (1 - alpha),
    g: top.g * alpha + bottom.g * (1 - alpha),
    b: top.b * alpha + bottom.b * (1 - alpha),
    a: 1,
  });
  const luminance = ({ r, g, b }) => {
    const channel = v => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const ratio = (x, y) => {
    const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (hi + 0.05) / (lo + 0.05);
  };
  const hex = ({ r, g, b }) => '#' + [r, g, b].map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
  // The product of `opacity` from the element up to the root.
  const opacity = element => {
    let product = 1;
    for (let e = element; e && e.nodeType === 1; e = e.parentElement) {
      product *= Number(getComputedStyle(e).opacity);
    }
    return product;
  };
  // The page behind an element: the backgrounds of `from` and its ancestors, bottom (white)
  // first.
  const backdrop = from => {
    const layers = [];
    for (let e = from; e; e = e.parentElement) {
      const color = parse(getComputedStyle(e).backgroundColor);
      if (color && color.a > 0) {
        layers.push(color);
        if (color.a === 1) break;
      }
    }
    return layers.reverse().reduce((below, layer) => over(layer, below, layer.a), { r: 255, g: 255, b: 255, a: 1 });
  };
  const results = [];
  if (selector) {
    for (const root of document.querySelectorAll(selector)) {
      for (const element of [root, ...root.querySelectorAll('*')]) {
        const own = [...element.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
        if (!own) continue;
        const style = getComputedStyle(element);
        const fill = parse(style.color);
        if (!fill || !element.checkVisibility() || element.getBoundingClientRect().width === 0) {
          results.push({ text: own, problem: `not shown (color ${style.color})` });
          continue;
        }
        const behind = backdrop(element);
        const seen = over(fill, behind, fill.a * opacity(element));
        results.push({
          text: own.slice(0, 60),
          color: hex(seen),
          background: hex(behind),
          ratio: Math.round(ratio(seen, behind) * 100) / 100,
        });
      }
    }
    return results;
  }
  const SHAPES = new Set(['rect', 'circle', 'ellipse', 'path', 'polygon']);
  const main = document.querySelector('main') ?? document.body;
  for (const svg of main.querySelectorAll('svg[role="img"], figure svg')) {
    svg.scrollIntoView({ block: 'center' });
    const page = backdrop(svg.parentElement);
    const name = (svg.querySelector(':scope > title')?.textContent ?? svg.id ?? '').trim();
    for (const text of svg.querySelectorAll('text')) {
      const style = getComputedStyle(text);
      const fill = parse(style.fill);
      const box = text.getBoundingClientRect();
      if (!fill || box.width === 0 || style.visibility === 'hidden' || style.display === 'none') {
        results.push({ picture: name, text: text.textContent.trim(), problem: `not drawn (fill ${style.fill})` });
        continue;
      }
      // Shapes under the text's centre, topmost first; keep those below the text, in this SVG.
      const x = box.left + box.width / 2;
      const y = box.top + box.height / 2;
      const stack = document.elementsFromPoint(x, y);
      const below = stack.slice(stack.indexOf(text) + 1)
        .filter(e => svg.contains(e) && SHAPES.has(e.localName));
      let behind = page;
      for (const shape of below.reverse()) {
        const shapeStyle = getComputedStyle(shape);
        const shapeFill = parse(shapeStyle.fill);
        if (!shapeFill) continue; // fill: none
        const alpha = shapeFill.a * Number(shapeStyle.fillOpacity) * opacity(shape);
        behind = over(shapeFill, behind, alpha);
      }
      const alpha = fill.a * Number(style.fillOpacity) * opacity(text);
      const seen = over(fill, behind, alpha);
      results.push({
        picture: name,
        text: text.textContent.trim(),
        color: hex(seen),
        background: hex(behind),
        ratio: Math.round(ratio(seen, behind) * 100) / 100,
      });
    }
  }
  return results;
}

/**
 * The listings of the page: each Rust block with its Run button (or none), the code the Run
 * button must send, and each console line that runs a program, with its copy button.
 */
export function surveyListings() {
  const listings = [];
  document.querySelectorAll('pre > code').forEach(code => {
    const pre = code.parentElement;
    const classes = [...code.classList];
    const runnable = pre.classList.contains('playground');
    const rust = classes.includes('language-rust') || runnable;
    if (!rust) return;
    const editable = classes.includes('editable');
    const play = pre.querySelector('.buttons .play-button');
    listings.push({
      index: listings.length,
      playgroundIndex: runnable ? [...document.querySelectorAll('pre.playground')].indexOf(pre) : -1,
      runnable,
      noplayground: classes.includes('noplayground') || classes.includes('noplaypen'),
      noRun: classes.includes('no_run'),
      editable,
      edition: (classes.find(c => /^edition\d+$/.test(c)) ?? '').slice('edition'.length),
      hasRunButton: Boolean(play),
      runButtonShown: Boolean(play) && !play.hidden && !play.classList.contains('hidden'),
      code: editable && window.ace ? window.ace.edit(code).getValue() : code.textContent,
    });
  });
  const commands = [];
  document.querySelectorAll('pre > code').forEach(code => {
    if (code.parentElement.classList.contains('playground')) return;
    const buttons = [...code.querySelectorAll('.copy-command')].map(b => b.dataset.command);
    const lines = code.textContent.split('\n').map(l => l.trimEnd())
      .filter(l => /^\$ cargo (\+\S+ )?(run|test)\b/.test(l))
      .map(l => l.slice(2).trim());
    commands.push({ lines, buttons });
  });
  // What does not fit the page's code column at this width: blocks that scroll sideways
  // (with the lines a listing hides left hidden), and copy buttons outside their block.
  const overflows = [];
  const offscreen = [];
  document.querySelectorAll('main pre > code').forEach(code => {
    const pre = code.parentElement;
    if (code.scrollWidth > code.clientWidth + 1) {
      const longest = code.innerText.split('\n').reduce((a, b) => (b.length > a.length ? b : a), '');
      overflows.push(`${[...code.classList].find(c => c.startsWith('language-')) ?? 'plain'} block, ` +
        `${code.scrollWidth - code.clientWidth} px too wide: ${longest.trim().slice(0, 60)}`);
    }
    const box = pre.getBoundingClientRect();
    code.querySelectorAll('.copy-command').forEach(button => {
      const r = button.getBoundingClientRect();
      if (r.right > box.right + 1 || r.left < box.left - 1) offscreen.push(button.dataset.command);
    });
  });
  return { listings, commands, overflows, offscreen };
}

/**
 * Whether the page came out as mdBook made it, from its own files: fonts, styles, scripts,
 * highlighting, and nothing referred to off the book's own address.
 */
export async function renderFacts() {
  await document.fonts.ready;
  const faces = [...document.fonts];
  return {
    fontsLoaded: faces.filter(f => f.status === 'loaded').map(f => f.family.replaceAll('"', '')),
    fontsFailed: faces.filter(f => f.status === 'error').map(f => f.family),
    styled: getComputedStyle(document.querySelector('#mdbook-sidebar') ?? document.body).position !== 'static',
    scripted: Boolean(document.querySelector('#mdbook-theme-list button.theme-selected')),
    highlighted: [...document.querySelectorAll('pre > code')].every(c => c.classList.contains('hljs')),
    foreign: [...document.querySelectorAll('script[src], link[href], img[src], iframe[src], source[src]')]
      .map(e => e.src || e.href).filter(u => u && !u.startsWith(location.origin)),
  };
}

/** Lines saying what `renderFacts` found wrong. */
export function renderProblems(facts, where) {
  const problems = [];
  if (!facts.fontsLoaded.includes('Open Sans')) problems.push(`${where}: the book's font (Open Sans) did not load`);
  if (facts.fontsFailed.length) problems.push(`${where}: fonts failed to load: ${facts.fontsFailed.join(', ')}`);
  if (!facts.styled) problems.push(`${where}: mdBook's styles are not applied`);
  if (!facts.scripted) problems.push(`${where}: mdBook's scripts did not run`);
  if (!facts.highlighted) problems.push(`${where}: code blocks are not highlighted`);
  problems.push(...facts.foreign.map(u => `${where}: refers to ${u}, off the book`));
  return problems;
}

