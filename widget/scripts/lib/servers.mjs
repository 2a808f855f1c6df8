// Tiny static HTTP servers for the scripts (measurements, dev server). Loopback only.
import http from 'node:http';

/**
 * Start a server on 127.0.0.1:`port` (0 = any) answering `routes` (path -> {type, body,
 * headers}) or `fallback(req, res)`. Resolves with {server, origin}.
 */
export function serve({ port = 0, routes = {}, headers = {}, fallback }) {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const route = routes[path];
    if (route) {
      res.writeHead(200, { 'Content-Type': route.type, ...headers, ...route.headers });
      res.end(route.body);
    } else if (fallback) {
      fallback(req, res);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      resolve({ server, origin: `http://127.0.0.1:${server.address().port}` });
    });
  });
}

/** The Chromium flags every script uses: headless, no network side traffic. */
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};
