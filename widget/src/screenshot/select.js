// A closed <select> as browsers draw it: the engine draws only a grey box with the text,
// without the arrow the visitor sees ("select arrows off"). It is replaced in the copy by
// a box showing the selected option's label and a chevron.

const TEXT = [
  'font-family', 'font-size', 'font-weight', 'font-style', 'letter-spacing', 'color',
  'text-transform',
]; // prettier-ignore

/** The label a closed select shows: its selected option's, or the first option's. */
export function selectLabel(select) {
  const option = select.options[select.selectedIndex] || select.options[0];
  return option ? option.label || option.text : '';
}

/** True for the selects drawn as a drop-down box with an arrow. */
export function isDropDown(select, computed) {
  return !select.multiple && !(select.size > 1) && computed.appearance !== 'none';
}

// Two borders of a small square, turned: a chevron drawn by the engine itself.
function chevron(doc, color) {
  const arrow = doc.createElement('span');
  const set = (name, value) => arrow.style.setProperty(name, value);
  set('flex', 'none');
  set('box-sizing', 'border-box');
  set('width', '6px');
  set('height', '6px');
  set('margin', '0 5px 3px 0');
  set('border-right', `2px solid ${color}`);
  set('border-bottom', `2px solid ${color}`);
  set('transform', 'rotate(45deg)');
  return arrow;
}

/**
 * A stand-in (in `doc`) for the live `select`, its content laid out like Chromium's: the
 * label 4 px in from the border, the chevron near the right. The caller gives it the
 * select's box (clone.js replaceBoxed).
 */
export function selectStandIn(select, doc) {
  const computed = select.ownerDocument.defaultView.getComputedStyle(select);
  const box = doc.createElement('span');
  for (const name of TEXT) box.style.setProperty(name, computed.getPropertyValue(name));
  // A block select stays a block: an inline box would add a line box's height.
  const inline = computed.display.startsWith('inline');
  box.style.setProperty('display', inline ? 'inline-flex' : 'flex');
  box.style.setProperty('align-items', 'center');
  box.style.setProperty('gap', '4px');
  box.style.setProperty('overflow', 'hidden');
  box.style.setProperty('white-space', 'pre');
  // Chromium paints a drop-down in the Field colour over its computed ButtonFace grey.
  const auto = computed.appearance === 'auto' || computed.appearance === 'menulist';
  box.style.setProperty('background-color', auto ? 'Field' : computed.backgroundColor);
  const label = doc.createElement('span');
  label.textContent = selectLabel(select);
  label.style.setProperty('flex', '1');
  label.style.setProperty('overflow', 'hidden');
  label.style.setProperty('padding-left', '4px');
  box.append(label, chevron(doc, computed.color));
  return box;
}
