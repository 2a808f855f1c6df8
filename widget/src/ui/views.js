// The dialog's views besides the form: a message with one button (sent, queued, sign in).
import { h } from '../dom.js';

/**
 * An optional alert, a heading and/or text, and a primary button. The first line takes
 * focus so screen readers read the outcome when the view appears.
 */
export function messageView({ alert = '', title, text, button, onClick }) {
  const lead = h(title ? 'h3' : 'p', { tabindex: '-1' }, title || text);
  return {
    node: h(
      'div',
      {},
      alert && h('p', { class: 'alert', role: 'alert' }, alert),
      lead,
      title && h('p', {}, text),
      h('button', { type: 'button', class: 'primary', onclick: onClick }, button),
    ),
    focus: lead,
  };
}
