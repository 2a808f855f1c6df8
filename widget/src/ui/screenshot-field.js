// "Include a screenshot": the checkbox and its status line. Everything else — capture,
// preview, annotation, attaching a file instead — comes with the lazily loaded chunk,
// which renders into this field.
import { h } from '../dom.js';

const CHUNK_TIMEOUT = 20000;

/**
 * `chunk.load()` resolves with the screenshot chunk; `panel` holds what the chunk's mount()
 * needs besides a container ({root, strings, ignore, edit}); `announce(text)` speaks
 * through the dialog's live region.
 */
export function createScreenshotField({ strings, checked, chunk, panel, announce }) {
  let mounted = null;
  let capturing = null;
  const input = h('input', {
    type: 'checkbox',
    id: 'sd-screenshot',
    checked,
    onchange: () => start(),
  });
  const status = h('p', { class: 'muted', hidden: true });
  const area = h('div');
  const error = h('p', { class: 'error', id: 'sd-screenshot-error', hidden: true });
  const node = h(
    'div',
    { class: 'field' },
    h('label', { class: 'check' }, input, strings.screenshot),
    status,
    area,
    error,
  );

  function say(text) {
    status.hidden = false;
    status.textContent = text;
    announce(text);
  }

  async function capture() {
    say(strings.screenshot_busy);
    try {
      const api = await Promise.race([
        chunk.load(),
        new Promise((_, reject) => setTimeout(reject, CHUNK_TIMEOUT)),
      ]);
      mounted = mounted || api.mount({ container: area, ...panel });
      await mounted.capture();
      say(strings.screenshot_ready);
    } catch {
      say(strings.screenshot_failed);
    }
    capturing = null;
  }

  // Capture when the box is (or becomes) ticked and there is no screenshot yet.
  function start() {
    if (input.checked && !(mounted && mounted.current()) && !capturing) capturing = capture();
  }

  return {
    node,
    input,
    error,
    start,
    /** The screenshot to send ({canvas, engine, unrendered}), or null. */
    current: () => (input.checked && mounted && mounted.current()) || null,
    /** The screenshot as a data URL of at most `maxBytes` of image. */
    encode: (maxBytes) => mounted.encode(maxBytes),
  };
}
