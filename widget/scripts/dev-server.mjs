// Dev server: a realistic host page on http://127.0.0.1:9100 embedding the built loader,
// and a fake Snagdesk on http://127.0.0.1:9101 serving dist/v1 and the widget API.
//
//   npm run dev               serve until Ctrl-C; open http://127.0.0.1:9100/
//   npm run smoke             the same, driven by headless Chromium through every flow
//
// Host page query parameters: ?token=wt_demo… (default) | wt_sender… (asks for name and
// email) | wt_login… (requires sign-in); ?lang=fr sets data-lang; ?csp=strict serves the
// page under a strict CSP that only adds the Snagdesk host. Run `npm run build` first.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TOKEN, startFakeSnagdesk } from './lib/fake-snagdesk.mjs';
import { hostPageAssets, hostPageHtml } from './lib/host-page.mjs';
import { serve } from './lib/servers.mjs';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const HOST_PORT = 9100;
const API_PORT = 9101;

// Errors the page logs after the loader ran (the load event waits for async scripts) and
// before the widget is opened: the report must carry them, redacted.
const DEMO_ERRORS = `addEventListener('load', () => {
  console.error('Checkout failed for https://shop.example/pay?session=abc123&step=2');
  Promise.reject(new Error('payment widget timed out'));
});`;

function strictCsp(api) {
  return [
    "default-src 'self'",
    `script-src 'self' ${api}`,
    `connect-src 'self' ${api}`,
    `img-src 'self' ${api}`,
    "style-src 'self'",
    "font-src 'self'",
    `frame-src ${api}`,
  ].join('; ');
}

/** Start both servers; resolves with {host, fake, close()}. */
export async function startDevServers({ hostPort = HOST_PORT, apiPort = API_PORT } = {}) {
  const hostOrigin = `http://127.0.0.1:${hostPort}`;
  const assets = hostPageAssets();
  const fake = await startFakeSnagdesk({
    port: apiPort,
    allowedOrigin: hostOrigin,
    distDir: DIST,
    extraRoutes: {
      '/assets/remote.png': assets['/assets/remote.png'],
      '/frame.html': assets['/frame.html'],
    },
  });
  const host = await serve({
    port: hostPort,
    routes: { ...assets, '/assets/demo-errors.js': { type: 'text/javascript', body: DEMO_ERRORS } },
    fallback(req, res) {
      const url = new URL(req.url, hostOrigin);
      if (url.pathname !== '/') {
        res.writeHead(404);
        return res.end();
      }
      const token = url.searchParams.get('token') || TOKEN.demo;
      const lang = url.searchParams.get('lang');
      const snippet = `<script async src="${fake.base}/widget/v1/loader.js" data-token="${token}"${lang ? ` data-lang="${lang}"` : ''}></script>`;
      const headers = { 'Content-Type': 'text/html; charset=utf-8' };
      if (url.searchParams.get('csp') === 'strict')
        headers['Content-Security-Policy'] = strictCsp(fake.base);
      res.writeHead(200, headers);
      return res.end(
        hostPageHtml({
          crossOrigin: fake.base,
          extraHead: '<script src="/assets/demo-errors.js"></script>',
          extraBody: snippet,
        }),
      );
    },
  });
  return {
    hostOrigin,
    fake,
    close: () => Promise.all([host.server, fake.server].map((s) => new Promise((r) => s.close(r)))),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const servers = await startDevServers();
  if (process.argv.includes('--smoke')) {
    const { runSmoke } = await import('./lib/smoke.mjs');
    const ok = await runSmoke(servers);
    await servers.close();
    process.exit(ok ? 0 : 1);
  }
  console.log(`host page:     ${servers.hostOrigin}/  (?token=, ?lang=, ?csp=strict)`);
  console.log(`fake Snagdesk: ${servers.fake.base}/  (received reports at /__submissions)`);
}
