// A tiny element builder. Text always goes through text nodes (never innerHTML), and no
// style attributes are written: the host page's CSP may forbid inline styles.

/**
 * h('button', {class: 'x', onclick: fn}, 'Label', child): an element with attributes and
 * listeners (`on…`); false/null props and empty children are skipped.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  el.append(...children.filter(Boolean));
  return el;
}
