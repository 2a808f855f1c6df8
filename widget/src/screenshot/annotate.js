// The annotation editor: highlight boxes (outlined) and black-out boxes (opaque) drawn
// with the pointer, undo and clear; every control is a real button, usable by keyboard.
import { h } from '../dom.js';
import { boxFromDrag, paint, toCanvasPoint } from './shapes.js';
import { adoptStyles } from './styles.js';

/**
 * Show the editor in `container` (inside the widget's shadow `root`); resolves with a new
 * annotated canvas on Done, or null on Cancel or when `signal` aborts (Escape).
 */
export function annotate({ canvas, container, root, strings, signal }) {
  adoptStyles(root);
  return new Promise((resolve) => {
    const shapes = [];
    let tool = 'highlight';
    let drag = null;
    const board = h('canvas', {
      class: 'board',
      role: 'img',
      'aria-label': strings.screenshot_preview,
      'aria-describedby': 'sd-annotate-help',
    });
    board.width = canvas.width;
    board.height = canvas.height;
    const ctx = board.getContext('2d');
    const redraw = (extra) => paint(ctx, canvas, extra ? [...shapes, extra] : shapes);

    const toolButton = (name) =>
      h(
        'button',
        {
          type: 'button',
          class: 'secondary tool',
          'aria-pressed': String(name === tool),
          onclick(event) {
            tool = name;
            for (const button of container.querySelectorAll('.tool'))
              button.setAttribute('aria-pressed', String(button === event.currentTarget));
          },
        },
        strings[name],
      );
    const first = toolButton('highlight');
    const finish = (result) => {
      signal.removeEventListener('abort', cancel);
      resolve(result);
    };
    const cancel = () => finish(null);
    const done = () => {
      const result = document.createElement('canvas');
      result.width = canvas.width;
      result.height = canvas.height;
      paint(result.getContext('2d'), canvas, shapes);
      finish(result);
    };

    board.addEventListener('pointerdown', (event) => {
      board.setPointerCapture(event.pointerId);
      drag = toCanvasPoint(
        event.clientX,
        event.clientY,
        board.getBoundingClientRect(),
        board.width,
        board.height,
      );
    });
    board.addEventListener('pointermove', (event) => {
      if (!drag) return;
      const end = toCanvasPoint(
        event.clientX,
        event.clientY,
        board.getBoundingClientRect(),
        board.width,
        board.height,
      );
      const box = boxFromDrag(drag, end, board.width, board.height);
      redraw(box && { tool, ...box });
    });
    board.addEventListener('pointercancel', () => {
      drag = null;
      redraw();
    });
    board.addEventListener('pointerup', (event) => {
      if (!drag) return;
      const end = toCanvasPoint(
        event.clientX,
        event.clientY,
        board.getBoundingClientRect(),
        board.width,
        board.height,
      );
      const box = boxFromDrag(drag, end, board.width, board.height);
      drag = null;
      if (box) shapes.push({ tool, ...box });
      redraw();
    });

    container.append(
      h('p', { id: 'sd-annotate-help', class: 'muted' }, strings.annotate_help),
      h(
        'div',
        { class: 'row' },
        first,
        toolButton('blackout'),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () => {
              shapes.pop();
              redraw();
            },
          },
          strings.undo,
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () => {
              shapes.length = 0;
              redraw();
            },
          },
          strings.clear,
        ),
      ),
      board,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', class: 'primary', onclick: done }, strings.done),
        h('button', { type: 'button', class: 'secondary', onclick: cancel }, strings.cancel),
      ),
    );
    signal.addEventListener('abort', cancel);
    redraw();
    first.focus();
  });
}
