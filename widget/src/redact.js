// Redaction of values that look like secrets, applied to everything the widget reports
// about the page (URLs, console errors, custom metadata) before it leaves the browser.

const REDACTED = '[redacted]';

// Runs of token characters long enough to be a key, session id or signature ('/' and '+'
// included so base64 secrets stay whole; '=' excluded so "name=value" splits).
const TOKEN_RUN = /[A-Za-z0-9_\-+/~]{24,}/g;
// name=value (queries, logs) and "name": "value" (JSON) pairs.
const PAIR = /([\w.%-]+)=([^\s&#"'<>),;\]]+)/g;
const JSON_PAIR = /"([\w.-]+)"(\s*:\s*)"[^"]*"/g;

/** Shannon entropy in bits per character. */
function entropy(text) {
  const counts = {};
  for (const ch of text) counts[ch] = (counts[ch] || 0) + 1;
  let bits = 0;
  for (const n of Object.values(counts)) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/**
 * True for long values mixing letters and digits with high entropy (API keys, JWT parts,
 * reset tokens, hex session ids) and false for words, long numbers and repeated text.
 */
export function looksRandom(value) {
  return (
    value.length >= 24 &&
    !/\s/.test(value) &&
    /[0-9]/.test(value) &&
    /[A-Za-z]/.test(value) &&
    entropy(value) >= 3.3
  );
}

// Name parts that mark a parameter as secret: "access_token", "apiKey", "X-Amz-Signature",
// "sessionid", "code" — but not "postcode", "keyword", "author", "design" or "signup".
const SECRET_PART =
  /^(token|secret|passw|pwd|auth($|oriz|entic)|session|sig(nature|v?\d*)?$|(key|code|sid|jwt)$)|(token|key|secret|password)$/;

/** True when a parameter or property name says its value is a secret. */
export function isSecretName(name) {
  return String(name)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .some((part) => part && SECRET_PART.test(part));
}

/** Free text with secret-named pairs and random-looking runs replaced. */
export function redactText(text) {
  return String(text)
    .replace(PAIR, (pair, name) => (isSecretName(name) ? `${name}=${REDACTED}` : pair))
    .replace(JSON_PAIR, (pair, name, colon) =>
      isSecretName(name) ? `"${name}"${colon}"${REDACTED}"` : pair,
    )
    .replace(TOKEN_RUN, (run) => (looksRandom(run) ? REDACTED : run));
}

/**
 * A URL with secret query and fragment parameters (OAuth puts tokens in the fragment),
 * random-looking values and path segments, and any user:password@ removed. Anything that
 * does not parse as http(s) is treated as text.
 */
export function redactUrl(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    return redactText(value || '');
  }
  if (!/^https?:$/.test(url.protocol)) return redactText(value);
  const path = url.pathname
    .split('/')
    .map((part) => (looksRandom(part) ? REDACTED : part))
    .join('/');
  return `${url.protocol}//${url.host}${path}${redactText(url.search + url.hash)}`;
}

/**
 * A copy of a JSON-able value with secret-named properties and random-looking strings
 * redacted at any depth; throws on values JSON cannot hold (cycles).
 */
export function redactDeep(value) {
  return JSON.parse(
    JSON.stringify(value, (name, item) => {
      if (isSecretName(name)) return REDACTED;
      return typeof item === 'string' ? redactText(item) : item;
    }),
  );
}
