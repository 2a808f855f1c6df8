import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, createApi, disabledNotice } from '../src/api.js';

function recordingFetch(respond) {
  const calls = [];
  const fetchFn = async (url, init) => {
    calls.push({ url, init });
    return respond(url, init);
  };
  return { calls, fetchFn };
}

const json = (body, status, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers });

test('the config is fetched with the token in the query string and no cookies', async () => {
  const { calls, fetchFn } = recordingFetch(() => json({ needs_sender: true }, 200));
  const api = createApi({ base: 'https://desk.example.com', token: 'wt_a+b', fetchFn });
  assert.deepEqual(await api.config(), { needs_sender: true });
  assert.equal(calls[0].url, 'https://desk.example.com/api/widget/v1/config?token=wt_a%2Bb');
  assert.equal(calls[0].init.credentials, 'omit');
});

test('a submission is a POST with the Idempotency-Key header', async () => {
  const { calls, fetchFn } = recordingFetch(() => json({ number: 123, reference: '#123' }, 201));
  const api = createApi({ base: 'https://d', token: 't', fetchFn });
  const body = new FormData();
  assert.deepEqual(await api.submit(body, 'key-1'), { number: 123, reference: '#123' });
  assert.equal(calls[0].url, 'https://d/api/widget/v1/submissions?token=t');
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.headers['Idempotency-Key'], 'key-1');
  assert.equal(calls[0].init.body, body);
});

test('an error answer becomes an ApiError with the contract code and fields', async () => {
  const { fetchFn } = recordingFetch(() =>
    json({ code: 'sender_required', message: 'm', fields: { email: 'required' } }, 400),
  );
  const error = await createApi({ base: 'https://d', token: 't', fetchFn })
    .submit(new FormData(), 'k')
    .catch((e) => e);
  assert.ok(error instanceof ApiError);
  assert.equal(error.status, 400);
  assert.equal(error.code, 'sender_required');
  assert.deepEqual(error.fields, { email: 'required' });
  assert.equal(error.retryable, false);
});

test('a 429 carries its Retry-After in seconds', async () => {
  const { fetchFn } = recordingFetch(() =>
    json({ code: 'throttled' }, 429, { 'Retry-After': '30' }),
  );
  const error = await createApi({ base: 'https://d', token: 't', fetchFn })
    .config()
    .catch((e) => e);
  assert.equal(error.retryAfter, 30);
  assert.equal(error.retryable, true);
});

test('a network failure is a retryable ApiError with status 0', async () => {
  const fetchFn = async () => {
    throw new TypeError('Failed to fetch');
  };
  const error = await createApi({ base: 'https://d', token: 't', fetchFn })
    .config()
    .catch((e) => e);
  assert.equal(error.status, 0);
  assert.equal(error.code, 'network');
  assert.equal(error.retryable, true);
});

test('a 5xx without a JSON body is retryable and keeps its status', async () => {
  const fetchFn = async () => new Response('<h1>Bad gateway</h1>', { status: 502 });
  const error = await createApi({ base: 'https://d', token: 't', fetchFn })
    .config()
    .catch((e) => e);
  assert.equal(error.code, 'http_502');
  assert.equal(error.retryable, true);
});

test('a refused origin is told in the console with the origin the server names', async () => {
  const message =
    'Add https://shop.example to the allowed origins of this widget token to use it here.';
  const { fetchFn } = recordingFetch(() => json({ code: 'origin_not_allowed', message }, 403));
  const error = await createApi({ base: 'https://d', token: 't', fetchFn })
    .config()
    .catch((e) => e);
  assert.equal(disabledNotice(error), `Snagdesk widget disabled: origin_not_allowed. ${message}`);
});

test('a network failure is told in the console by its code alone', () => {
  assert.equal(
    disabledNotice(new ApiError({ status: 0, code: 'network' })),
    'Snagdesk widget disabled: network',
  );
});
