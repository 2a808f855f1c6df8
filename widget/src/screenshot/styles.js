// The chunk's own stylesheet, added once to the widget's shadow root next to the loader's.
import css from './panel.css';

let sheet = null;

export function adoptStyles(root) {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  if (!root.adoptedStyleSheets.includes(sheet))
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
