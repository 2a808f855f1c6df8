// The visible viewport rendered to a canvas by html2canvas-pro, chosen on measured fidelity,
// speed and strict-CSP behaviour (ENGINE.md), with sensitive fields masked in its copy
// of the page before anything is drawn, and what it draws wrong put right in that copy
// (clone.js): fixed elements on a smooth-scrolling page, inline SVG under a strict CSP,
// the arrows of selects.
import html2canvas from 'html2canvas-pro';
import { adoptCarriedStyles, pairs, replaceBoxed, scrollInstantly } from './clone.js';
import { maskClone } from './mask.js';
import { isDropDown, selectStandIn } from './select.js';
import { svgToCanvas } from './svg.js';
import { findUnrendered, inViewport } from './unrendered.js';

const ENGINE = 'html2canvas-pro';

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

/** {canvas, engine, unrendered} for the current viewport, leaving out `ignore` (the widget). */
export async function capture({ ignore }) {
  // Sharp on high-density screens without quadrupling the work beyond 2x.
  const scale = Math.min(window.devicePixelRatio || 1, 2);
  // Probing what cannot be drawn loads the same images as the engine: do both at once.
  const [canvas, unrendered] = await Promise.all([
    html2canvas(document.documentElement, {
      x: window.scrollX,
      y: window.scrollY,
      width: window.innerWidth,
      height: window.innerHeight,
      scale,
      useCORS: true,
      logging: false,
      imageTimeout: 8000,
      ignoreElements: (element) => element === ignore,
      onclone: (clone) => {
        adoptCarriedStyles(clone);
        scrollInstantly(clone);
        maskClone(document, clone);
        drawSvgs(document, clone, scale);
        drawSelects(document, clone);
      },
    }),
    findUnrendered(document, window),
  ]);
  return { canvas, engine: ENGINE, unrendered };
}
