// Loading a chunk (screenshot.js, signin.js) on demand by injecting a <script> from the
// Snagdesk host — allowed by the script-src every installation needs for the loader; the
// loader's nonce is copied for nonce-based policies. No eval, no inline script.

/**
 * {load(), prefetch()} for the chunk `name`.js next to the loader at `base`; load()
 * resolves with what the chunk puts in `win[global]`.
 */
export function lazyChunk({ base, nonce, doc, win }, name, global) {
  let loading = null;

  function load() {
    loading =
      loading ||
      new Promise((resolve, reject) => {
        const script = doc.createElement('script');
        script.src = `${base}/widget/v1/${name}.js`;
        if (nonce) script.nonce = nonce;
        script.onload = () => resolve(win[global]);
        script.onerror = reject;
        doc.head.append(script);
      });
    // A failed load (offline, blocked) may succeed when the visitor tries again.
    loading.catch(() => {
      loading = null;
    });
    return loading;
  }

  return {
    load,
    prefetch: () => load().catch(() => {}),
  };
}
