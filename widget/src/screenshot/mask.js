// What must never appear in a screenshot: password fields, card-number fields and
// anything the site marks with data-snagdesk-mask.

/** The elements worth testing with shouldMask(). */
export const MASK_CANDIDATES = 'input, [data-snagdesk-mask]';

const CARD_FIELD = /card|cc-?num|cvc|cvv|csc/;

/** True for an element whose value or content must be hidden. */
export function shouldMask(element) {
  if (element.hasAttribute('data-snagdesk-mask')) return true;
  if (element.tagName !== 'INPUT') return false;
  const attr = (name) => (element.getAttribute(name) || '').toLowerCase();
  return (
    attr('type') === 'password' ||
    /\bcc-(number|csc)\b/.test(attr('autocomplete')) ||
    CARD_FIELD.test(`${attr('name')} ${attr('id')}`)
  );
}

/**
 * Hide the masked elements of `clone` (the engine's copy of `live`, same element order):
 * values and children are removed, the box keeps its size and turns opaque. Throws when
 * the two documents do not line up, so a capture fails rather than leaks.
 */
export function maskClone(live, clone) {
  const originals = [...live.querySelectorAll(MASK_CANDIDATES)].filter(shouldMask);
  const copies = [...clone.querySelectorAll(MASK_CANDIDATES)].filter(shouldMask);
  if (originals.length !== copies.length) throw new Error('mask: documents differ');
  copies.forEach((copy, i) => {
    const { width, height } = originals[i].getBoundingClientRect();
    // An emptied inline element would collapse; give it a box of the same size.
    const inline = live.defaultView.getComputedStyle(originals[i]).display === 'inline';
    if ('value' in copy) copy.value = '';
    copy.removeAttribute('value');
    copy.replaceChildren();
    const style = copy.style;
    if (inline) style.setProperty('display', 'inline-block', 'important');
    style.setProperty('box-sizing', 'border-box', 'important');
    style.setProperty('width', `${width}px`, 'important');
    style.setProperty('height', `${height}px`, 'important');
    style.setProperty('background', '#1d2330', 'important');
    style.setProperty('color', 'transparent', 'important');
  });
}
