// Reading the embed snippet: <script async src=".../widget/v1/loader.js" data-token="wt_…">.

const LOADER_PATH = '/widget/v1/';

/** The loader's own <script>: currentScript, else the last matching snippet tag. */
export function findLoaderScript(doc) {
  if (doc.currentScript) return doc.currentScript;
  const tags = doc.querySelectorAll(`script[data-token][src*="${LOADER_PATH}loader.js"]`);
  return tags[tags.length - 1] || null;
}

/** {base, token, lang, openAtStart, nonce, name, email} from the tag, or null without a token. */
export function readSnippet(script) {
  const token = script && script.getAttribute('data-token');
  const at = script ? script.src.indexOf(LOADER_PATH) : -1;
  if (!token || at < 0) return null;
  return {
    base: script.src.slice(0, at),
    token,
    lang: script.getAttribute('data-lang') || '',
    openAtStart: script.getAttribute('data-open') === 'true',
    nonce: script.nonce,
    // The sender a CMS plugin knows (its logged-in user), applied like identify().
    name: script.getAttribute('data-name'),
    email: script.getAttribute('data-email'),
  };
}
