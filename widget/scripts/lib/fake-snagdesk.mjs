// A fake Snagdesk for the dev server and the smoke test: the widget API as
// docs/widget-api.md describes it (config, submissions with validation, idempotency and
// CORS), the built files under /widget/v1/, and a stand-in for the sign-in popup.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};
const MAX_BYTES = 8 * 1024 * 1024;
export const FAKE_SESSION = 'fake-signed-session';

/** The tokens the fake knows: a default contact, asking for the sender, requiring sign-in. */
export const TOKEN = {
  demo: 'wt_demo000000000000000000',
  sender: 'wt_sender0000000000000000',
  login: 'wt_login00000000000000000',
};

// Each token's config differences from the contract's example.
const OVERRIDES = {
  [TOKEN.demo]: {},
  [TOKEN.sender]: { needs_sender: true, sender: null },
  [TOKEN.login]: { require_login: true, sender: null },
};

function configFor(token, base) {
  return {
    appearance: {
      accent_color: '#2f5bea',
      text_color: 'light',
      logo_url: '',
      position: 'bottom-right',
      offset_x: 20,
      offset_y: 20,
      font_size: 15,
      border_radius: 24,
      padding: 12,
    },
    texts: { trigger: '', title: '', intro: '' },
    screenshots: { enabled: true, checked: true, max_bytes: MAX_BYTES },
    require_login: false,
    login_url: `${base}/portal/widget-login/?token=${token}`,
    sender: { name: 'Ada Client', email: 'ada@client.example' },
    needs_sender: false,
    ...OVERRIDES[token],
  };
}

const IMAGE_MAGIC = [
  [0x89, 0x50, 0x4e, 0x47],
  [0xff, 0xd8, 0xff],
  [0x52, 0x49, 0x46, 0x46],
];
const isImage = (bytes) => IMAGE_MAGIC.some((magic) => magic.every((b, i) => bytes[i] === b));

// The contract's checks, in its order; null when the submission is acceptable.
function validate(form, config, screenshot) {
  const subject = String(form.get('subject') || '').trim();
  const message = String(form.get('message') || '').trim();
  if (!subject) return ['subject_required'];
  if (subject.length > 255) return ['subject_too_long'];
  if (!message) return ['message_required'];
  if (message.length > 10000) return ['message_too_long'];
  if (config.require_login) {
    if (!form.get('session')) return ['login_required', 401];
    if (form.get('session') !== FAKE_SESSION) return ['session_invalid', 401];
  } else if (config.needs_sender) {
    const missing = ['name', 'email'].filter((name) => !String(form.get(name) || '').trim());
    if (missing.length)
      return [
        'sender_required',
        400,
        Object.fromEntries(missing.map((name) => [name, 'required'])),
      ];
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(form.get('email'))) return ['email_invalid'];
  }
  try {
    const metadata = JSON.parse(form.get('metadata') || '{}');
    if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata))
      throw new Error('not an object');
    if (String(form.get('metadata') || '').length > 64 * 1024) throw new Error('too big');
  } catch {
    return ['metadata_invalid'];
  }
  if (screenshot && screenshot.length > MAX_BYTES) return ['screenshot_too_large', 413];
  if (screenshot && !isImage(screenshot)) return ['screenshot_invalid'];
  return null;
}

/**
 * Start the fake on 127.0.0.1:`port`, accepting API calls only from `allowedOrigin`.
 * `failNext(n)` makes the next n submissions answer 503 (to exercise the queue).
 * Received submissions are in `submissions` and at GET /__submissions.
 */
export async function startFakeSnagdesk({ port, allowedOrigin, distDir, extraRoutes = {} }) {
  const base = `http://127.0.0.1:${port}`;
  const submissions = [];
  const answers = new Map();
  let failures = 0;

  const cors = (origin) =>
    origin === allowedOrigin
      ? {
          'Access-Control-Allow-Origin': origin,
          Vary: 'Origin',
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': 'Content-Type, Idempotency-Key',
          'Access-Control-Max-Age': '600',
          'Access-Control-Expose-Headers': 'Retry-After, Idempotent-Replayed',
        }
      : {};

  function send(res, status, body, headers = {}) {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  async function submissionsEndpoint(req, res, token, headers) {
    const config = configFor(token, base);
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const form = await new Request(base, {
      method: 'POST',
      headers: { 'content-type': req.headers['content-type'] },
      body,
    }).formData();
    const key = req.headers['idempotency-key'];
    const previous = key && answers.get(`${token}:${key}`);
    if (previous) {
      if (previous.subject !== form.get('subject') || previous.message !== form.get('message')) {
        return send(
          res,
          409,
          { code: 'idempotency_conflict', message: 'Key reused.', fields: {} },
          headers,
        );
      }
      return send(res, previous.status, previous.body, {
        ...headers,
        'Idempotent-Replayed': 'true',
      });
    }
    if (failures > 0) {
      failures -= 1;
      return send(res, 503, { code: 'unavailable', message: 'Try later.', fields: {} }, headers);
    }
    const file = form.get('screenshot');
    const screenshot = file ? Buffer.from(await file.arrayBuffer()) : null;
    const problem = validate(form, config, screenshot);
    const [status, answer] = problem
      ? [problem[1] || 400, { code: problem[0], message: problem[0], fields: problem[2] || {} }]
      : [201, { number: submissions.length + 100, reference: `#${submissions.length + 100}` }];
    if (!problem) {
      submissions.push({
        token,
        key,
        subject: form.get('subject'),
        message: form.get('message'),
        name: form.get('name'),
        email: form.get('email'),
        session: form.get('session'),
        metadata: JSON.parse(form.get('metadata') || '{}'),
        screenshot: screenshot && `data:${file.type};base64,${screenshot.toString('base64')}`,
        screenshotName: file && file.name,
      });
    }
    if (key)
      answers.set(`${token}:${key}`, {
        status,
        body: answer,
        subject: form.get('subject'),
        message: form.get('message'),
      });
    return send(res, status, answer, headers);
  }

  async function api(req, res, url) {
    const origin = req.headers.origin;
    const headers = cors(origin);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, headers);
      return res.end();
    }
    const token = url.searchParams.get('token');
    if (!OVERRIDES[token])
      return send(
        res,
        401,
        { code: 'token_invalid', message: 'Unknown token.', fields: {} },
        headers,
      );
    if (origin !== allowedOrigin)
      return send(
        res,
        403,
        { code: 'origin_not_allowed', message: 'Origin.', fields: {} },
        headers,
      );
    if (url.pathname.endsWith('/config') && req.method === 'GET')
      return send(res, 200, configFor(token, base), headers);
    if (url.pathname.endsWith('/submissions') && req.method === 'POST')
      return submissionsEndpoint(req, res, token, headers);
    return send(res, 404, { code: 'not_found', message: 'No such endpoint.', fields: {} }, headers);
  }

  async function staticFile(res, path) {
    const file = normalize(join(distDir, path.slice('/widget/'.length)));
    if (!file.startsWith(distDir)) return send(res, 404, {});
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] || 'application/octet-stream',
        'Access-Control-Allow-Origin': '*',
      });
      return res.end(body);
    } catch {
      return send(res, 404, {});
    }
  }

  // The sign-in popup stand-in: "signs in" at once and posts the session to the opener,
  // targeting only the origin it was given, as the real portal page does.
  const routes = {
    '/portal/widget-login/': {
      type: 'text/html',
      body: '<!doctype html><title>Sign in</title><p>Signing in…</p><script src="/portal/widget-login.js"></script>',
    },
    '/portal/widget-login.js': {
      type: 'text/javascript',
      body: `const origin = new URLSearchParams(location.search).get('origin');
window.opener.postMessage({ type: 'snagdesk:session', session: '${FAKE_SESSION}', name: 'Ada Client', email: 'ada@client.example' }, origin);
window.close();`,
    },
    ...extraRoutes,
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, base);
    if (url.pathname.startsWith('/api/widget/v1/')) return api(req, res, url);
    if (url.pathname.startsWith('/widget/v1/')) return staticFile(res, url.pathname);
    if (url.pathname === '/__submissions') return send(res, 200, submissions);
    const route = routes[url.pathname];
    if (!route) return send(res, 404, {});
    res.writeHead(200, { 'Content-Type': route.type });
    return res.end(route.body);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    server,
    base,
    submissions,
    failNext: (n) => {
      failures = n;
    },
  };
}
