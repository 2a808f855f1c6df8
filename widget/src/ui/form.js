// The report form: subject, message with a counter, sender fields when asked, the
// screenshot field, a send button; errors shown next to their fields and in an alert.
import { h } from '../dom.js';
import { MESSAGE_MAX, SUBJECT_MAX } from '../errors.js';

/**
 * `lang` is the texts' language; `needsSender` adds name and email; `note` is a line above the fields (who is signed in);
 * `shot` is the screenshot field ({node, input, error}) or null.
 */
export function createForm({ strings, lang, needsSender, note, shot, onSubmit }) {
  const inputs = {};
  const errors = {};
  const alert = h('p', { class: 'alert', role: 'alert', hidden: true });
  const counter = h('div', { class: 'muted', id: 'sd-count' });
  const send = h('button', { type: 'submit', class: 'primary' }, strings.send);
  let busy = false;

  // An empty error paragraph adds nothing to the description, so it is always referenced.
  function field(name, input, hint = '') {
    inputs[name] = input;
    errors[name] = h('p', { class: 'error', id: `sd-${name}-error`, hidden: true });
    input.id = `sd-${name}`;
    input.setAttribute('aria-describedby', `${errors[name].id} ${hint}`.trim());
    return h(
      'div',
      { class: 'field' },
      h('label', { for: input.id, class: 'req' }, strings[name]),
      input,
      hint && counter,
      errors[name],
    );
  }

  // In the texts' language's digits and separators (۱۰٬۰۰۰ in Persian).
  const count = () => {
    const length = inputs.message.value.length;
    counter.textContent = `${length.toLocaleString(lang)} / ${MESSAGE_MAX.toLocaleString(lang)}`;
  };
  const form = h(
    'form',
    {
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        if (!busy) onSubmit();
      },
    },
    h('p', { class: 'muted' }, strings.intro),
    note && h('p', {}, note),
    alert,
    field('subject', h('input', { type: 'text', required: true, maxlength: SUBJECT_MAX })),
    field(
      'message',
      h('textarea', { required: true, maxlength: MESSAGE_MAX, oninput: count }),
      counter.id,
    ),
    needsSender &&
      field('name', h('input', { type: 'text', required: true, autocomplete: 'name' })),
    needsSender &&
      field('email', h('input', { type: 'email', required: true, autocomplete: 'email' })),
    shot && shot.node,
    h('div', { class: 'row' }, send),
  );
  count();
  if (shot) {
    inputs.screenshot = shot.input;
    errors.screenshot = shot.error;
    shot.input.setAttribute('aria-describedby', shot.error.id);
  }

  return {
    node: form,
    focus: inputs.subject,
    values: () => ({
      subject: inputs.subject.value,
      message: inputs.message.value,
      name: inputs.name ? inputs.name.value : '',
      email: inputs.email ? inputs.email.value : '',
    }),
    /** Fill the empty text fields from `values` (identify(), a refused queued report). */
    prefill(values) {
      for (const name of ['subject', 'message', 'name', 'email']) {
        if (inputs[name] && values[name] && !inputs[name].value) inputs[name].value = values[name];
      }
      count();
    },
    /** Show {general, fields} i18n keys and focus the first bad field; {} clears. */
    showErrors({ general, fields = {} }) {
      alert.hidden = !general;
      alert.textContent = general ? strings[general] : '';
      let first = null;
      for (const [name, input] of Object.entries(inputs)) {
        const key = fields[name];
        errors[name].hidden = !key;
        errors[name].textContent = key ? strings[key] : '';
        input.setAttribute('aria-invalid', String(Boolean(key)));
        first = first || (key && input);
      }
      if (first) first.focus();
    },
    setBusy(value) {
      busy = value;
      send.textContent = value ? strings.sending : strings.send;
      send.setAttribute('aria-disabled', String(value));
    },
  };
}
