// The "Capture exact pixels" button of the screenshot panel, only where the browser has
// getDisplayMedia, and the line under it saying how it went. A refusal, a cancel or an
// error keeps (or makes) the DOM render.
import { h } from '../dom.js';
import { captureExact, exactSupported } from './exact.js';

/**
 * The option's node, or null when unsupported. `show(shot)` puts a screenshot in the
 * panel; `fallback()` makes the DOM render when there is no screenshot yet.
 */
export function exactOption({ strings, ignore, show, current, fallback }) {
  if (!exactSupported(navigator)) return null;
  const note = h('p', { class: 'muted', role: 'status', hidden: true });
  const button = h(
    'button',
    { type: 'button', class: 'secondary', onclick: onClick },
    strings.exact_capture,
  );

  async function onClick() {
    note.hidden = true;
    button.disabled = true;
    try {
      show(await captureExact({ ignore }));
      note.textContent = strings.screenshot_ready;
      note.hidden = false;
    } catch {
      note.textContent = strings.exact_failed;
      note.hidden = false;
      if (!current()) await fallback().catch(() => {});
    }
    button.disabled = false;
    button.focus();
  }

  return h('div', {}, button, note);
}
