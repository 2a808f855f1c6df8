// The visible viewport rendered to a canvas by html2canvas-pro, chosen on measured fidelity,
// speed and strict-CSP behaviour (ENGINE.md), with sensitive fields masked in its copy
// of the page before anything is drawn, and what it draws wrong put right in that copy
// (clone.js): fixed elements on a smooth-scrolling page, inline SVG under a strict CSP,
// the arrows of selects, same-origin iframes.
import html2canvas from 'html2canvas-pro';
import { adoptCarriedStyles, pairs, replaceBoxed, scrollInstantly } from './clone.js';
import { maskClone } from './mask.js';
import { isDropDown, selectStandIn } from './select.js';
import { svgToCanvas } from './svg.js';
import { findUnrendered, inViewport, isForeign } from './unrendered.js';

const ENGINE = 'html2canvas-pro';

// The engine's own iframe, holding its copy, is in the live page (not in the copy).
const ownFrame = (frame) => !frame.hasAttribute('data-html2canvas-ignore');
const outermost = (svg) => !svg.parentElement || !svg.parentElement.closest('svg');

function drawSvgs(live, clone, scale) {
  const win = live.defaultView;
  for (const [svg, copy] of pairs(live, clone, 'svg', outermost)) {
    if (!inViewport(svg, win)) continue;
    const canvas = svgToCanvas(svg, clone, scale);
    if (canvas) replaceBoxed(svg, copy, canvas);
  }
}

function drawSelects(live, clone) {
  const win = live.defaultView;
  for (const [select, copy] of pairs(live, clone, 'select')) {
    if (inViewport(select, win) && isDropDown(select, win.getComputedStyle(select)))
      replaceBoxed(select, copy, selectStandIn(select, clone));
  }
}

// Each visible same-origin iframe is captured like the page (recursively) and its image
// put in place of the copy's iframe, which the engine would draw blank. Those that
// cannot be read or drawn are reported; cross-origin ones are found by findUnrendered.
async function drawFrames(live, clone, scale, unrendered) {
  const win = live.defaultView;
  for (const [frame, copy] of pairs(live, clone, 'iframe', ownFrame)) {
    if (!inViewport(frame, win) || isForeign(frame.src, win)) continue;
    try {
      const doc = frame.contentDocument;
      if (!doc || !doc.documentElement) throw new Error('iframe not readable');
      const image = await render(doc, {
        width: frame.clientWidth,
        height: frame.clientHeight,
        scale,
        unrendered,
      });
      const canvas = clone.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      canvas.getContext('2d').drawImage(image, 0, 0);
      replaceBoxed(frame, copy, canvas);
    } catch {
      const src = frame.src || (frame.hasAttribute('srcdoc') ? 'about:srcdoc' : 'about:blank');
      unrendered.push({ kind: 'iframe', src });
    }
  }
}

function render(doc, { width, height, scale, ignore, unrendered }) {
  const win = doc.defaultView;
  return html2canvas(doc.documentElement, {
    x: win.scrollX,
    y: win.scrollY,
    width,
    height,
    scale,
    useCORS: true,
    logging: false,
    imageTimeout: 8000,
    ignoreElements: (element) => element === ignore,
    onclone: async (clone) => {
      adoptCarriedStyles(clone);
      scrollInstantly(clone);
      maskClone(doc, clone);
      drawSvgs(doc, clone, scale);
      drawSelects(doc, clone);
      await drawFrames(doc, clone, scale, unrendered);
    },
  });
}

/** {canvas, engine, unrendered} for the current viewport, leaving out `ignore` (the widget). */
export async function capture({ ignore }) {
  const unrendered = [];
  // Probing what cannot be drawn loads the same images as the engine: do both at once.
  const [canvas, foreign] = await Promise.all([
    render(document, {
      width: window.innerWidth,
      height: window.innerHeight,
      // Sharp on high-density screens without quadrupling the work beyond 2x.
      scale: Math.min(window.devicePixelRatio || 1, 2),
      ignore,
      unrendered,
    }),
    findUnrendered(document, window),
  ]);
  return { canvas, engine: ENGINE, unrendered: [...foreign, ...unrendered] };
}
