// Work on the engine's copy of the page (its onclone hook), before anything is drawn:
// what html2canvas-pro gets wrong there is put right, or drawn by the widget itself.

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
