// The widget's frame: a host element with an open shadow root (see README.md for why
// open), the trigger button and a modal <dialog> whose content views are swapped in.
import css from '../widget.css';
import { h } from '../dom.js';
import { direction } from '../i18n.js';

// Every control the widget's views contain.
const FOCUSABLE = 'button, input, textarea';

/**
 * Mount the trigger and the dialog. `style` holds CSS custom properties for the host;
 * `onOpen` runs each time the dialog opens, `onHover` when the trigger is approached.
 */
export function createShell({ doc, strings, lang, style, logo, onOpen, onHover }) {
  const host = doc.createElement('snagdesk-widget');
  for (const [name, value] of Object.entries(style)) host.style.setProperty(name, value);
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [sheet];

  let escapeHandler = null;
  const body = h('div');
  const live = h('div', { class: 'sr', role: 'status', 'aria-live': 'polite' });
  const trigger = h('button', {
    type: 'button',
    class: 'trigger',
    'aria-haspopup': 'dialog',
    onclick: () => open(),
    onpointerenter: onHover,
    onfocus: onHover,
  });
  const title = h('h2', { id: 'sd-title' });
  const closer = h('button', { type: 'button', class: 'close', onclick: () => close() }, '×');
  const dialog = h(
    'dialog',
    {
      role: 'dialog',
      'aria-modal': 'true',
      'aria-labelledby': 'sd-title',
      onkeydown: onKey,
      onclose: () => trigger.focus(),
    },
    // Not a <header>: outside sectioning content that is a banner landmark, a second
    // one on every page that has its own.
    h(
      'div',
      { class: 'head' },
      logo && h('img', { src: logo, alt: '', height: 28 }),
      title,
      closer,
    ),
    body,
    live,
  );
  // The texts' language and direction on one element around both, so the trigger is read
  // in that language too and a right-to-left one mirrors the whole widget.
  const frame = h('div', {}, trigger, dialog);
  // The texts the frame itself shows, and their language: again when it changes (a
  // signed-in contact's own language).
  function label(texts, code) {
    trigger.textContent = texts.trigger;
    title.textContent = texts.title;
    closer.ariaLabel = texts.close;
    frame.lang = code;
    frame.dir = direction(code);
  }
  label(strings, lang);
  root.append(frame);
  doc.body.append(host);

  // Keep Tab inside the dialog and let the current view claim Escape (e.g. annotation).
  function onKey(event) {
    if (event.key === 'Escape' && escapeHandler) {
      event.preventDefault();
      escapeHandler();
    }
    if (event.key !== 'Tab') return;
    // The views never disable controls (busy is aria-disabled), so visible means focusable.
    const items = [...dialog.querySelectorAll(FOCUSABLE)].filter(
      (el) => el.getClientRects().length,
    );
    const edge = event.shiftKey ? items[0] : items[items.length - 1];
    if (root.activeElement === edge) {
      event.preventDefault();
      (event.shiftKey ? items[items.length - 1] : items[0]).focus();
    }
  }

  function open() {
    if (dialog.open) return;
    dialog.showModal();
    onOpen();
  }

  function close() {
    if (dialog.open) dialog.close();
  }

  return {
    host,
    root,
    open,
    close,
    label,
    /**
     * Replace the dialog content and move focus to `focus` when the dialog is open;
     * `onEscape`, when given, handles Escape instead of the dialog (the annotation editor).
     */
    show(node, focus, onEscape) {
      body.replaceChildren(node);
      escapeHandler = onEscape;
      if (dialog.open && focus) focus.focus();
    },
    /** Say `text` through the polite live region. */
    announce(text) {
      live.textContent = text;
    },
  };
}
