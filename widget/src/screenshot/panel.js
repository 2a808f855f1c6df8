// The screenshot part of the form, rendered by the chunk under the loader's checkbox: the
// preview, the annotate button, and — when capturing fails (engine error, timeout) — a
// file input to attach an image instead.
import { h } from '../dom.js';
import { annotate } from './annotate.js';
import { capture } from './capture.js';
import { encode, fromFile } from './encode.js';
import { exactOption } from './exact-option.js';
import { adoptStyles } from './styles.js';

const CAPTURE_TIMEOUT = 20000;
const PREVIEW_WIDTH = 640;

function withTimeout(promise, ms) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms)),
  ]);
}

/**
 * Render into `container`. `ignore` is the element to leave out of captures (the widget),
 * `root` its shadow root; `edit(render)` lends the dialog to the editor: it calls
 * `render(container, signal)` and resolves with its result.
 */
export function mount({ container, root, strings, ignore, edit }) {
  adoptStyles(root);
  let shot = null;
  const preview = h('canvas', {
    role: 'img',
    'aria-label': strings.screenshot_preview,
    hidden: true,
  });
  const note = h('p', { class: 'muted', hidden: true }, strings.screenshot_hidden);
  const annotateButton = h(
    'button',
    { type: 'button', class: 'secondary', hidden: true, onclick: onAnnotate },
    strings.annotate,
  );
  const file = h('input', { type: 'file', id: 'sd-file', accept: 'image/*', onchange: onFile });
  const attach = h(
    'div',
    { class: 'field', hidden: true },
    h('label', { for: file.id }, strings.attach),
    file,
  );
  const fileError = h('p', { class: 'error', hidden: true }, strings.file_invalid);
  const exact = exactOption({ strings, ignore, show, current: () => shot, fallback: domRender });
  const row = h('div', { class: 'row' }, annotateButton, exact);
  container.append(preview, note, row, attach, fileError);

  function show(next) {
    shot = next;
    const scale = Math.min(1, PREVIEW_WIDTH / next.canvas.width);
    preview.width = Math.round(next.canvas.width * scale);
    preview.height = Math.round(next.canvas.height * scale);
    preview.getContext('2d').drawImage(next.canvas, 0, 0, preview.width, preview.height);
    preview.hidden = false;
    note.hidden = next.engine === 'file';
    annotateButton.hidden = false;
  }

  async function onFile() {
    if (!file.files.length) return;
    try {
      show({ canvas: await fromFile(file.files[0]), engine: 'file', unrendered: [] });
      fileError.hidden = true;
    } catch {
      fileError.hidden = false;
    }
  }

  async function onAnnotate() {
    const annotated = await edit((box, signal) =>
      annotate({ canvas: shot.canvas, container: box, root, strings, signal }),
    );
    if (annotated) show({ ...shot, canvas: annotated });
    annotateButton.focus();
  }

  async function domRender() {
    try {
      show(await withTimeout(capture({ ignore }), CAPTURE_TIMEOUT));
    } catch (error) {
      attach.hidden = false;
      throw error;
    }
  }

  return {
    /** Capture the viewport; on failure offer the file input and rethrow. */
    capture: domRender,
    /** {canvas, engine, unrendered} or null. */
    current: () => shot,
    /** The current screenshot as a data URL of at most `maxBytes` of image (or null). */
    encode: (maxBytes) => encode(shot.canvas, maxBytes),
  };
}
