// Work on the engine's copy of the page (its onclone hook), before anything is drawn:
// what html2canvas-pro gets wrong there is put right, or drawn by the widget itself.

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
