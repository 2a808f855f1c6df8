// What the engine cannot draw, for metadata.unrendered: cross-origin iframes (never
// readable) and cross-origin images served without CORS (they would taint the canvas).
// Same-origin iframes that could not be drawn are added by capture.js.

const PROBE_TIMEOUT = 5000;
const MAX_ITEMS = 50;

export function inViewport(element, win) {
  const r = element.getBoundingClientRect();
  return (
    r.width > 0 &&
    r.height > 0 &&
    r.bottom > 0 &&
    r.right > 0 &&
    r.top < win.innerHeight &&
    r.left < win.innerWidth
  );
}

export function isForeign(src, win) {
  try {
    const url = new URL(src, win.location.href);
    return /^https?:$/.test(url.protocol) && url.origin !== win.location.origin;
  } catch {
    return false;
  }
}

// The same anonymous CORS request the engine makes; served from cache after the capture.
function corsBlocked(src) {
  return new Promise((resolve) => {
    const probe = new Image();
    const timer = setTimeout(() => resolve(true), PROBE_TIMEOUT);
    probe.crossOrigin = 'anonymous';
    probe.onload = () => {
      clearTimeout(timer);
      resolve(false);
    };
    probe.onerror = () => {
      clearTimeout(timer);
      resolve(true);
    };
    probe.src = src;
  });
}

/** [{kind, src}] for the visible content the screenshot could not include. */
export async function findUnrendered(doc, win) {
  const frames = [...doc.querySelectorAll('iframe')]
    .filter((frame) => inViewport(frame, win) && isForeign(frame.src, win))
    .map((frame) => ({ kind: 'cross-origin-iframe', src: frame.src }));
  const sources = [
    ...new Set(
      [...doc.images]
        .filter((img) => inViewport(img, win) && isForeign(img.currentSrc, win))
        .map((img) => img.currentSrc),
    ),
  ];
  const blocked = await Promise.all(sources.map(corsBlocked));
  const images = sources
    .filter((_, i) => blocked[i])
    .map((src) => ({ kind: 'cross-origin-image', src }));
  return [...frames, ...images].slice(0, MAX_ITEMS);
}
