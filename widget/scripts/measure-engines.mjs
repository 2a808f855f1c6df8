// Measure DOM-to-image engines on a realistic page (scripts/lib/host-page.mjs: ~1,500
// elements, a web font, PNG/SVG images, a form, a sticky header) in headless Chromium:
// gzipped size, capture time, similarity to Chromium's own viewport screenshot, and
// whether each still works under a strict host CSP or with modern colour functions.
//
//   npm run measure-engines            prints the Markdown table used in ENGINE.md
//   SAVE_DIR=/tmp/shots npm run …      also writes every capture and reference as PNG
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { html2canvasPatches } from './html2canvas-patches.mjs';
import { chromium } from 'playwright-core';
import { hostPageAssets, hostPageHtml } from './lib/host-page.mjs';
import { CHROMIUM, serve } from './lib/servers.mjs';

const RUNS = 7;
const VIEWPORT = { width: 1280, height: 720 };
const SCROLLS = [0, 1400];
const CAPTURE_TIMEOUT = 15000;
const PLACEHOLDER =
  'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
// Colour functions current CSS frameworks emit (Tailwind 4 uses oklch throughout).
const MODERN_CSS =
  '.hero{background:linear-gradient(135deg,oklch(55% .25 300),oklch(62% .25 350))}' +
  '.price{color:color-mix(in srgb,green 80%,black)}.badge{background:oklch(92% .1 95)}';

// Each candidate called the way a widget would: the visible viewport at the current scroll
// position, one image pixel per CSS pixel, cross-origin images through CORS when allowed.
// "as shipped" is the widget's own capture (src/screenshot/capture.js): the same engine,
// patched as the build patches it, plus masking, the fixes in its copy of the page and
// the unrendered-content probe.
const ADAPTERS = {
  'modern-screenshot': `import { domToCanvas } from 'modern-screenshot';
    window.__capture = () => domToCanvas(document.documentElement, {
      width: innerWidth, height: innerHeight, scale: 1, timeout: 8000,
      style: { transform: 'translate(' + -scrollX + 'px,' + -scrollY + 'px)' } });`,
  html2canvas: `import html2canvas from 'html2canvas';
    window.__capture = () => html2canvas(document.documentElement, {
      x: scrollX, y: scrollY, width: innerWidth, height: innerHeight, scale: 1,
      useCORS: true, logging: false, imageTimeout: 8000 });`,
  'html2canvas-pro': `import html2canvas from 'html2canvas-pro';
    window.__capture = () => html2canvas(document.documentElement, {
      x: scrollX, y: scrollY, width: innerWidth, height: innerHeight, scale: 1,
      useCORS: true, logging: false, imageTimeout: 8000 });`,
  // Without a placeholder html-to-image rejects the whole capture on one image without CORS.
  'html-to-image': `import { toCanvas } from 'html-to-image';
    window.__capture = () => toCanvas(document.documentElement, {
      width: innerWidth, height: innerHeight, pixelRatio: 1, imagePlaceholder: '${PLACEHOLDER}',
      style: { transform: 'translate(' + -scrollX + 'px,' + -scrollY + 'px)' } });`,
  'html2canvas-pro as shipped': `import { capture } from './src/screenshot/capture.js';
    window.__capture = async () => (await capture({ ignore: null })).canvas;`,
};

async function bundle(source, plugins) {
  const result = await esbuild.build({
    stdin: { contents: source, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
    plugins,
  });
  return result.outputFiles[0].text;
}

// In a page without CSP: the share of pixels whose channels all differ by at most 16, and
// 1 - the mean absolute channel difference, between two same-sized PNG data URLs.
function compare(page, expected, actual) {
  return page.evaluate(
    async ([a, b]) => {
      const load = async (src) => {
        const img = new Image();
        img.src = src;
        await img.decode();
        return img;
      };
      const [imgA, imgB] = await Promise.all([load(a), load(b)]);
      const pixels = (img) => {
        const canvas = Object.assign(document.createElement('canvas'), {
          width: imgA.width,
          height: imgA.height,
        });
        const ctx = canvas.getContext('2d');
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(img, 0, 0);
        return ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      };
      const pa = pixels(imgA);
      const pb = pixels(imgB);
      let close = 0;
      let diff = 0;
      for (let i = 0; i < pa.length; i += 4) {
        const d = [0, 1, 2].map((c) => Math.abs(pa[i + c] - pb[i + c]));
        if (Math.max(...d) <= 16) close += 1;
        diff += d[0] + d[1] + d[2];
      }
      const count = pa.length / 4;
      return { match: close / count, similarity: 1 - diff / (count * 3 * 255) };
    },
    [expected, actual],
  );
}

function captureRuns(page) {
  return page.evaluate(
    async ([runs, timeout]) => {
      const times = [];
      let dataUrl = null;
      let error = null;
      for (let i = 0; i < runs && !error; i += 1) {
        const start = performance.now();
        try {
          const canvas = await Promise.race([
            window.__capture(),
            new Promise((_, reject) =>
              setTimeout(() => reject(new Error(`timeout after ${timeout} ms`)), timeout),
            ),
          ]);
          times.push(performance.now() - start);
          dataUrl = canvas.toDataURL('image/png');
        } catch (err) {
          error = String((err && err.message) || err);
        }
      }
      return { times, dataUrl, error };
    },
    [RUNS, CAPTURE_TIMEOUT],
  );
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function printTable(rows, sizes) {
  console.log(
    '| engine | gzipped | scenario | scroll | works | first run | median of next 6 | pixels within 16 | similarity |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const { label, scrollY, name, run, score, violations } of rows) {
    const works = run.error ? `no: ${run.error}` : 'yes';
    const first = run.times.length ? `${run.times[0].toFixed(0)} ms` : '—';
    const rest = run.times.length > 1 ? `${median(run.times.slice(1)).toFixed(0)} ms` : '—';
    const match = score ? `${(score.match * 100).toFixed(1)} %` : '—';
    const similarity = score ? `${(score.similarity * 100).toFixed(1)} %` : '—';
    const csp = violations ? ` (${violations} CSP reports)` : '';
    console.log(
      `| ${name} | ${(sizes[name] / 1024).toFixed(1)} KB | ${label} | ${scrollY} | ${works}${csp} | ${first} | ${rest} | ${match} | ${similarity} |`,
    );
  }
}

async function main() {
  const remote = await serve({ routes: hostPageAssets() });
  const scripts = {};
  const sizes = {};
  for (const [name, source] of Object.entries(ADAPTERS)) {
    const shipped = name.endsWith('as shipped');
    const body = await bundle(source, shipped ? [html2canvasPatches] : []);
    scripts[`/engine/${encodeURIComponent(name)}.js`] = { type: 'text/javascript', body };
    sizes[name] = gzipSync(body, { level: 9 }).length;
  }
  const routes = {
    '/': { type: 'text/html', body: hostPageHtml({ crossOrigin: remote.origin }) },
    '/modern': {
      type: 'text/html',
      body: hostPageHtml({
        crossOrigin: remote.origin,
        extraHead: '<link rel="stylesheet" href="/assets/modern.css">',
      }),
    },
    '/assets/modern.css': { type: 'text/css', body: MODERN_CSS },
    ...hostPageAssets(),
    ...scripts,
  };
  const open = await serve({ routes });
  const strict = await serve({
    routes,
    headers: {
      'Content-Security-Policy': [
        "default-src 'self'",
        `script-src 'self' ${remote.origin}`,
        `connect-src 'self' ${remote.origin}`,
        `img-src 'self' ${remote.origin}`,
        "style-src 'self'",
        "font-src 'self'",
        `frame-src ${remote.origin}`,
      ].join('; '),
    },
  });
  const scenarios = [
    ...SCROLLS.map((scrollY) => ({ label: 'no CSP', url: `${open.origin}/`, scrollY })),
    ...SCROLLS.map((scrollY) => ({ label: 'strict CSP', url: `${strict.origin}/`, scrollY })),
    { label: 'oklch colours', url: `${open.origin}/modern`, scrollY: 0 },
  ];

  const browser = await chromium.launch(CHROMIUM);
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const comparePage = await context.newPage();
  const rows = [];
  for (const { label, url, scrollY } of scenarios) {
    for (const name of Object.keys(ADAPTERS)) {
      const tab = await context.newPage();
      let violations = 0;
      tab.on('console', (msg) => {
        if (/Content Security Policy/.test(msg.text())) violations += 1;
      });
      await tab.goto(url, { waitUntil: 'load' });
      await tab.evaluate(() => document.fonts.ready);
      await tab.evaluate((y) => window.scrollTo(0, y), scrollY);
      const reference = `data:image/png;base64,${(await tab.screenshot()).toString('base64')}`;
      await tab.addScriptTag({ url: `/engine/${encodeURIComponent(name)}.js` });
      const run = await captureRuns(tab);
      const score = run.dataUrl ? await compare(comparePage, reference, run.dataUrl) : null;
      if (process.env.SAVE_DIR) {
        const file = (what) =>
          `${process.env.SAVE_DIR}/${what}-${label.replace(/\W+/g, '-')}-${scrollY}.png`;
        writeFileSync(file('chromium'), Buffer.from(reference.split(',')[1], 'base64'));
        if (run.dataUrl)
          writeFileSync(
            file(name.replace(/\W+/g, '-')),
            Buffer.from(run.dataUrl.split(',')[1], 'base64'),
          );
      }
      rows.push({ label, scrollY, name, run, score, violations });
      await tab.close();
    }
  }
  await browser.close();
  for (const { server } of [remote, open, strict]) server.close();
  printTable(rows, sizes);
}

await main();
