// The visible viewport rendered to a canvas by html2canvas-pro, chosen on measured fidelity,
// speed and strict-CSP behaviour (ENGINE.md), with sensitive fields masked in its copy
// of the page before anything is drawn.
import html2canvas from 'html2canvas-pro';
import { adoptCarriedStyles, scrollInstantly } from './clone.js';
import { maskClone } from './mask.js';
import { findUnrendered } from './unrendered.js';

const ENGINE = 'html2canvas-pro';

/** {canvas, engine, unrendered} for the current viewport, leaving out `ignore` (the widget). */
export async function capture({ ignore }) {
  // Probing what cannot be drawn loads the same images as the engine: do both at once.
  const [canvas, unrendered] = await Promise.all([
    html2canvas(document.documentElement, {
      x: window.scrollX,
      y: window.scrollY,
      width: window.innerWidth,
      height: window.innerHeight,
      // Sharp on high-density screens without quadrupling the work beyond 2x.
      scale: Math.min(window.devicePixelRatio || 1, 2),
      useCORS: true,
      logging: false,
      imageTimeout: 8000,
      ignoreElements: (element) => element === ignore,
      onclone: (clone) => {
        adoptCarriedStyles(clone);
        scrollInstantly(clone);
        maskClone(document, clone);
      },
    }),
    findUnrendered(document, window),
  ]);
  return { canvas, engine: ENGINE, unrendered };
}
