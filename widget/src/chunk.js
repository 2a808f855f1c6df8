// Loading the screenshot chunk (screenshot.js) on demand by injecting a <script> from the
// Snagdesk host — allowed by the script-src every installation needs for the loader; the
// loader's nonce is copied for nonce-based policies. No eval, no inline script.

/** {load(), prefetch()} for the chunk next to the loader at `base`. */
export function screenshotChunk({ base, nonce, doc, win }) {
  let loading = null;

  function load() {
    loading =
      loading ||
      new Promise((resolve, reject) => {
        const script = doc.createElement('script');
        script.src = `${base}/widget/v1/screenshot.js`;
        if (nonce) script.nonce = nonce;
        script.onload = () => resolve(win.__snagdeskScreenshot);
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
