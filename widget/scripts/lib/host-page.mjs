// A realistic host page for the engine measurements and the dev server: ~1,500 elements,
// external CSS (so it also works under a strict CSP), PNG and SVG images, an optional web
// font, a sticky header, a checkout form with fields the widget must mask, a cross-origin
// image served without CORS and a cross-origin iframe.
import { existsSync, readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const FONT_FILE = '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An RGB PNG whose pixels come from `pixel(x, y) -> [r, g, b]`. */
export function encodePng(width, height, pixel) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x += 1) raw.set(pixel(x, y), row + 1 + x * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// Deterministic noise so every run serves the same "photo".
function photoPixel(seed) {
  return (x, y) => {
    const n = Math.sin(x * 12.9898 + y * 78.233 + seed) * 43758.5453;
    const grain = (n - Math.floor(n)) * 40;
    return [
      (x * 0.6 + grain + seed * 30) % 256,
      (y * 0.8 + grain) % 256,
      (180 - x * 0.2 + y * 0.3 + grain) % 256,
    ].map(Math.floor);
  };
}

const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">
<circle cx="24" cy="24" r="22" fill="#f4b400"/><path d="M14 25l7 7 13-15" stroke="#fff" stroke-width="5" fill="none"/></svg>`;

const CSS = `
@font-face { font-family: "Brand Serif"; src: url(/assets/brand.ttf) format("truetype"); }
:root { --brand: #7b2ff7; --ink: #1d2330; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 "Liberation Sans", Arial, sans-serif; color: var(--ink); background: #f6f7fb; }
header { position: sticky; top: 0; z-index: 5; display: flex; align-items: center; gap: 24px;
  padding: 10px 32px; background: #fff; box-shadow: 0 2px 8px rgba(0,0,0,.12); }
header img { width: 40px; height: 40px; border-radius: 8px; }
nav a { margin-right: 14px; color: var(--brand); text-decoration: none; font-weight: 600; }
.hero { display: grid; grid-template-columns: 1fr 1fr; gap: 32px; padding: 48px 32px;
  background: linear-gradient(135deg, #7b2ff7, #f107a3); color: #fff; }
.hero h1 { font: 44px/1.1 "Brand Serif", Georgia, serif; margin: 0 0 16px; }
.hero img { width: 100%; border-radius: 16px; transform: rotate(-2deg); }
.btn { display: inline-block; padding: 10px 18px; border-radius: 999px; background: #fff; color: var(--brand);
  border: 0; font-weight: 700; }
main { display: grid; grid-template-columns: 220px 1fr; gap: 24px; padding: 24px 32px; }
aside ul { list-style: none; margin: 0; padding: 0; }
aside li { padding: 4px 8px; border-bottom: 1px solid #e3e6ee; }
.grid { display: grid; grid-template-columns: repeat(4, 1fr); gap: 16px; }
.card { background: #fff; border-radius: 12px; padding: 12px; box-shadow: 0 1px 3px rgba(0,0,0,.1); }
.card img { width: 100%; height: 90px; object-fit: cover; border-radius: 8px; }
.card h3 { font-size: 15px; margin: 8px 0 4px; }
.card p { margin: 0; font-size: 13px; color: #5b6275; }
.price { font-weight: 700; color: #0a7d38; }
.badge { float: right; font-size: 11px; padding: 2px 6px; border-radius: 6px; background: #ffe8a3; }
.stars span { color: #f4b400; }
table { width: 100%; border-collapse: collapse; background: #fff; margin-top: 24px; }
td, th { border: 1px solid #e3e6ee; padding: 6px 8px; text-align: left; font-size: 13px; }
tr:nth-child(even) td { background: #fafbfe; }
form { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; background: #fff; padding: 20px;
  border-radius: 12px; margin-top: 24px; }
label { display: grid; gap: 4px; font-size: 13px; font-weight: 600; }
input, select, textarea { font: inherit; padding: 8px; border: 1px solid #c5cad6; border-radius: 6px; }
.iban { grid-column: 1 / -1; padding: 12px; background: #fff4f4; border: 1px dashed #d33; }
.external { display: flex; gap: 16px; align-items: center; margin-top: 24px; }
.external img, .external iframe { width: 200px; height: 120px; border: 1px solid #ccc; }
footer { display: grid; grid-template-columns: repeat(4, 1fr); padding: 32px; background: var(--ink); color: #c9cfdb; }
footer a { display: block; color: #c9cfdb; }
`;

function card(i) {
  const stars = Array.from(
    { length: 5 },
    (_, s) => `<span>${s < (i % 5) + 1 ? '★' : '☆'}</span>`,
  ).join('');
  return `<article class="card"><img src="/assets/product-${i % 6}.png" alt="Product ${i}">
<span class="badge">${i % 3 ? 'New' : 'Sale'}</span><h3>Product number ${i}</h3>
<p>Hand-made item with a <em>short</em> description, ${i * 7} reviews.</p>
<div class="stars">${stars}</div><p><span class="price">€${(19 + i * 3.5).toFixed(2)}</span>
<button class="btn" type="button">Add</button></p></article>`;
}

function tableRows() {
  return Array.from(
    { length: 34 },
    (_, r) => `<tr>${Array.from({ length: 6 }, (_, c) => `<td>Cell ${r}.${c}</td>`).join('')}</tr>`,
  ).join('');
}

/**
 * The page HTML. `crossOrigin` is another origin (scheme://host:port) serving
 * /assets/remote.png without CORS and /frame.html; `extraHead` is appended to <head>.
 */
export function hostPageHtml({ crossOrigin, extraHead = '', extraBody = '' }) {
  const navLinks = Array.from({ length: 8 }, (_, i) => `<a href="#s${i}">Section ${i}</a>`).join(
    '',
  );
  const sideItems = Array.from(
    { length: 100 },
    (_, i) => `<li><a href="#c${i}">Category ${i}</a></li>`,
  ).join('');
  const footerCols = Array.from(
    { length: 4 },
    (_, c) =>
      `<div><h4>Column ${c}</h4>${Array.from({ length: 10 }, (_, i) => `<a href="#f${c}${i}">Link ${i}</a>`).join('')}</div>`,
  ).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Example shop</title><link rel="stylesheet" href="/assets/page.css">${extraHead}</head><body>
<header><img src="/assets/icon.svg" alt="Shop logo"><nav>${navLinks}</nav>
<input type="search" aria-label="Search" placeholder="Search products"></header>
<section class="hero"><div><h1>Spring collection, crafted slowly</h1>
<p>Everything here is made by hand in small batches.</p><a class="btn" href="#shop">Shop now</a></div>
<img src="/assets/hero.png" alt="Hero"></section>
<main><aside><ul>${sideItems}</ul></aside><div id="shop"><div class="grid">
${Array.from({ length: 64 }, (_, i) => card(i)).join('')}</div>
<table><thead><tr><th>A</th><th>B</th><th>C</th><th>D</th><th>E</th><th>F</th></tr></thead><tbody>${tableRows()}</tbody></table>
<form id="checkout" action="#">
<label>Full name <input name="name" value="Ada Lovelace"></label>
<label>Email <input name="email" type="email" value="ada@example.com"></label>
<label>Password <input id="pw" name="password" type="password" value="hunter2-SECRET"></label>
<label>Card number <input id="cc" name="cardnumber" autocomplete="cc-number" value="4242 4242 4242 4242"></label>
<label>Country <select name="country"><option>France</option><option selected>Belgium</option></select></label>
<label>Notes <textarea name="notes">Leave at the door</textarea></label>
<div class="iban" data-snagdesk-mask>IBAN FR76 3000 6000 0112 3456 7890 189</div>
<label><span><input type="checkbox" checked> Gift wrap</span></label>
<button class="btn" type="submit">Pay now</button></form>
<div class="external"><img src="${crossOrigin}/assets/remote.png" alt="Remote">
<iframe src="${crossOrigin}/frame.html" title="Remote frame"></iframe></div>
</div></main><footer>${footerCols}</footer>${extraBody}</body></html>`;
}

/** The static assets the page links to: path -> {type, body}. */
export function hostPageAssets() {
  const assets = {
    '/assets/page.css': { type: 'text/css', body: CSS },
    '/assets/icon.svg': { type: 'image/svg+xml', body: ICON_SVG },
    '/assets/hero.png': { type: 'image/png', body: encodePng(480, 240, photoPixel(1)) },
    '/assets/remote.png': { type: 'image/png', body: encodePng(200, 120, photoPixel(9)) },
    '/frame.html': {
      type: 'text/html',
      body: '<!doctype html><title>Frame</title><p>Remote frame content</p>',
    },
  };
  for (let i = 0; i < 6; i += 1) {
    assets[`/assets/product-${i}.png`] = {
      type: 'image/png',
      body: encodePng(160, 90, photoPixel(i + 2)),
    };
  }
  if (existsSync(FONT_FILE))
    assets['/assets/brand.ttf'] = { type: 'font/ttf', body: readFileSync(FONT_FILE) };
  return assets;
}
