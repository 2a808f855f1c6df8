// What is wrong with a submission and how to say it. The message for an API error code
// is the i18n key `err_<code>`; codes named after a form field are shown next to it.

// Codes that share a message with another code.
const SAME_MESSAGE = { token_disabled: 'token_invalid', session_expired: 'session_invalid' };
const FIELDS = ['subject', 'message', 'email', 'screenshot'];

export const SUBJECT_MAX = 255;
export const MESSAGE_MAX = 10000;

/** {general, fields} i18n keys (present in `strings`) for an ApiError or any other Error. */
export function describeError(error, strings) {
  const code = SAME_MESSAGE[error.code] || error.code;
  if (code === 'sender_required') {
    const named = Object.keys(error.fields).filter((name) => name === 'name' || name === 'email');
    const fields = {};
    for (const name of named.length ? named : ['name', 'email'])
      fields[name] = `err_${name}_required`;
    return { general: 'err_form', fields };
  }
  const key = `err_${code}`;
  if (!(key in strings)) return { general: 'err_generic', fields: {} };
  const field = code.split('_')[0];
  return FIELDS.includes(field)
    ? { general: 'err_form', fields: { [field]: key } }
    : { general: key, fields: {} };
}

/**
 * The widget's own checks before sending, with the server's codes: {field: i18n key},
 * empty when the values may be sent. Lengths need no check: the inputs' maxlength counts
 * UTF-16 units, never fewer than the characters the server counts.
 */
export function validateFields({ subject, message, name, email }, { needsSender }) {
  const fields = {};
  if (!subject.trim()) fields.subject = 'err_subject_required';
  if (!message.trim()) fields.message = 'err_message_required';
  if (needsSender) {
    if (!name.trim()) fields.name = 'err_name_required';
    if (!email.trim()) fields.email = 'err_email_required';
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) fields.email = 'err_email_invalid';
  }
  return fields;
}
