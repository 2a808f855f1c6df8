// Work on the engine's copy of the page (its onclone hook), before anything is drawn:
// what html2canvas-pro gets wrong there is put right, or drawn by the widget itself.

/** The box properties a replacement element copies from the element it stands for. */
const BOX = [
  'display', 'box-sizing', 'width', 'height', 'vertical-align', 'float',
  'position', 'top', 'right', 'bottom', 'left', 'z-index', 'transform', 'opacity',
  'flex-grow', 'flex-shrink', 'align-self', 'grid-area',
  'margin-top', 'margin-right', 'margin-bottom', 'margin-left',
  'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
  'border-top-width', 'border-right-width', 'border-bottom-width', 'border-left-width',
  'border-top-style', 'border-right-style', 'border-bottom-style', 'border-left-style',
  'border-top-color', 'border-right-color', 'border-bottom-color', 'border-left-color',
  'border-top-left-radius', 'border-top-right-radius',
  'border-bottom-right-radius', 'border-bottom-left-radius',
]; // prettier-ignore

/**
 * Put `element` (of the clone's document) in place of `copy`, boxed like `original`.
 * Set through the CSSOM, which a strict style-src allows, unlike style attributes.
 */
export function replaceBoxed(original, copy, element) {
  const computed = original.ownerDocument.defaultView.getComputedStyle(original);
  // What the replacement sets itself (a select's stand-in: its display) is kept.
  const own = new Set(element.style);
  for (const name of BOX) {
    if (!own.has(name)) element.style.setProperty(name, computed.getPropertyValue(name));
  }
  if (!own.has('display') && computed.display === 'inline')
    element.style.setProperty('display', 'inline-block');
  copy.replaceWith(element);
}

/** Pairs of (live, copy) for `selector`, or [] when the two documents differ. */
export function pairs(live, clone, selector, keep = () => true) {
  const originals = [...live.querySelectorAll(selector)].filter(keep);
  const copies = [...clone.querySelectorAll(selector)].filter(keep);
  return originals.length === copies.length ? originals.map((el, i) => [el, copies[i]]) : [];
}

/**
 * Scrolling the copy to the page's position must be instant: with `scroll-behavior:
 * smooth` (Bootstrap's reboot sets it) the engine's scrollTo starts an animation, the copy
 * stays at the top and every fixed or sticky element is drawn a scroll away from where
 * the visitor sees it. The engine scrolls again right after onclone.
 */
export function scrollInstantly(clone) {
  clone.documentElement.style.setProperty('scroll-behavior', 'auto', 'important');
  if (clone.body) clone.body.style.setProperty('scroll-behavior', 'auto', 'important');
}

/**
 * Turn the engine's <template data-snagdesk-css> carriers (scripts/html2canvas-patches.mjs)
 * into constructed stylesheets of their document or shadow root.
 */
export function adoptCarriedStyles(clone) {
  const win = clone.defaultView;
  // Shadow roots nest: each one found is searched in turn.
  const roots = [clone];
  for (let i = 0; i < roots.length; i += 1) {
    for (const el of roots[i].querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
  }
  for (const root of roots) {
    for (const carrier of root.querySelectorAll('template[data-snagdesk-css]')) {
      const sheet = new win.CSSStyleSheet();
      sheet.replaceSync(carrier.getAttribute('data-snagdesk-css'));
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
      carrier.remove();
    }
  }
}
