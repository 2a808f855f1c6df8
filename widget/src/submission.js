// One submission as the queue stores it and as the API receives it (multipart/form-data).
import { dataUrlToBlob } from './image.js';

/** A random UUID v4 for Idempotency-Key; unlike crypto.randomUUID, works on http:// pages. */
export function newIdempotencyKey(crypto = globalThis.crypto) {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((n) => n.toString(16).padStart(2, '0')).join('');
  return hex.replace(/(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}

/**
 * The queue entry for a submission: trimmed text fields, the sender only when the form
 * asks for it, the session when signed in, metadata as JSON and the screenshot data URL.
 */
export function createEntry({ values, needsSender, session, metadata, screenshot, key }) {
  const fields = { subject: values.subject.trim(), message: values.message.trim() };
  if (needsSender) Object.assign(fields, { name: values.name.trim(), email: values.email.trim() });
  if (session) fields.session = session;
  fields.metadata = JSON.stringify(metadata);
  return { key, fields, screenshot: screenshot || null };
}

/** The multipart body for an entry. */
export function entryFormData(entry) {
  const form = new FormData();
  for (const [name, value] of Object.entries(entry.fields)) form.append(name, value);
  if (entry.screenshot) {
    const blob = dataUrlToBlob(entry.screenshot);
    // The server names the attachment from the content; this name is only a hint.
    form.append('screenshot', blob, `screenshot.${blob.type.split('/')[1]}`);
  }
  return form;
}
