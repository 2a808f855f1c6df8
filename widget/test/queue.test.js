import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../src/api.js';
import { backoffDelay, createQueue } from '../src/queue.js';

// localStorage stand-in; `quota` makes setItem throw above that many characters.
function fakeStorage(quota = Infinity) {
  const items = new Map();
  return {
    items,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem(key, value) {
      if (value.length > quota) throw new DOMException('full', 'QuotaExceededError');
      items.set(key, value);
    },
    removeItem: (key) => items.delete(key),
  };
}

function setup({ storage = fakeStorage(), answers = [] } = {}) {
  const clock = { t: 1_000_000 };
  const sent = [];
  const outcomes = [];
  const timers = [];
  const queue = createQueue({
    storage,
    token: 'wt_abc',
    now: () => clock.t,
    random: () => 1,
    setTimer: (fn, ms) => timers.push(ms),
    clearTimer: () => {},
    async send(entry) {
      sent.push(entry.key);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    },
    onSent: (entry, result) => outcomes.push(['sent', entry.key, result]),
    onDropped: (entry, error) => outcomes.push(['dropped', entry.key, error.code]),
  });
  return { queue, storage, clock, sent, outcomes, timers };
}

const entry = (key = 'k-1', screenshot = 'data:image/png;base64,AAAA') => ({
  key,
  fields: { subject: 'S', message: 'M' },
  screenshot,
});
const networkError = () => new ApiError({ status: 0, code: 'network' });
const serverError = () => new ApiError({ status: 503, code: 'server_error' });

test('a failed submission is stored under the token with its key and screenshot', () => {
  const { queue, storage } = setup();
  queue.add(entry(), networkError());
  const stored = JSON.parse(storage.getItem('snagdesk:queue:wt_abc'));
  assert.equal(stored.length, 1);
  assert.equal(stored[0].key, 'k-1');
  assert.equal(stored[0].screenshot, 'data:image/png;base64,AAAA');
  assert.deepEqual(stored[0].fields, { subject: 'S', message: 'M' });
});

test('a retry reuses the same idempotency key and empties the queue on success', async () => {
  const { queue, clock, sent, outcomes, storage } = setup({
    answers: [{ number: 7, reference: '#7' }],
  });
  queue.add(entry(), networkError());
  clock.t += 60_000;
  await queue.flush();
  assert.deepEqual(sent, ['k-1']);
  assert.deepEqual(outcomes, [['sent', 'k-1', { number: 7, reference: '#7' }]]);
  assert.equal(storage.getItem('snagdesk:queue:wt_abc'), '[]');
});

test('entries are not retried before their backoff delay unless forced (back online)', async () => {
  const { queue, sent } = setup({ answers: [{ number: 1 }] });
  queue.add(entry(), networkError());
  await queue.flush();
  assert.deepEqual(sent, []);
  await queue.flush(true);
  assert.deepEqual(sent, ['k-1']);
});

test('a 5xx keeps the entry and doubles the delay before the next attempt', async () => {
  const { queue, clock, timers } = setup({ answers: [serverError()] });
  queue.add(entry(), serverError());
  assert.equal(timers.at(-1), 10_000);
  clock.t += 10_000;
  await queue.flush();
  const [stored] = queue.entries();
  assert.equal(stored.attempts, 2);
  assert.equal(stored.nextAt, clock.t + 20_000);
  assert.equal(timers.at(-1), 20_000);
});

test('the backoff is capped at ten minutes and jittered down to half', () => {
  assert.equal(
    backoffDelay(30, 0, () => 1),
    600_000,
  );
  assert.equal(
    backoffDelay(1, 0, () => 0),
    5_000,
  );
});

test('a 429 waits at least its Retry-After', () => {
  const { queue, clock } = setup();
  queue.add(entry(), new ApiError({ status: 429, code: 'throttled', retryAfter: 120 }));
  assert.equal(queue.entries()[0].nextAt, clock.t + 120_000);
});

test('a final 4xx answer on retry drops the entry and reports it', async () => {
  const expired = new ApiError({ status: 401, code: 'session_expired' });
  const { queue, outcomes } = setup({ answers: [expired] });
  queue.add(entry(), networkError());
  await queue.flush(true);
  assert.deepEqual(outcomes, [['dropped', 'k-1', 'session_expired']]);
  assert.deepEqual(queue.entries(), []);
});

test('a disabled token keeps the entry queued and sends it once the token works again', async () => {
  const disabled = new ApiError({ status: 401, code: 'token_disabled' });
  const { queue, outcomes, clock, sent } = setup({ answers: [disabled, { number: 7 }] });
  queue.add(entry(), networkError());
  await queue.flush(true);
  assert.deepEqual(outcomes, []);
  assert.equal(queue.entries()[0].attempts, 2);
  clock.t = queue.entries()[0].nextAt;
  await queue.flush();
  assert.deepEqual(sent, ['k-1', 'k-1']);
  assert.deepEqual(outcomes, [['sent', 'k-1', { number: 7 }]]);
  assert.deepEqual(queue.entries(), []);
});

test('entries left by an earlier page load are sent on the next flush', async () => {
  const storage = fakeStorage();
  setup({ storage }).queue.add(entry('k-old'), networkError());
  const later = setup({ storage, answers: [{ number: 2 }] });
  later.clock.t += 60_000;
  await later.queue.flush();
  assert.deepEqual(later.sent, ['k-old']);
});

test('entries from an earlier page load that are not due yet get a retry timer', async () => {
  const storage = fakeStorage();
  setup({ storage }).queue.add(entry('k-old'), networkError());
  const later = setup({ storage });
  later.clock.t += 4_000;
  await later.queue.flush();
  assert.deepEqual(later.sent, []);
  assert.deepEqual(later.timers, [6_000]);
});

test('when storage is full the screenshot is dropped first', () => {
  const { queue, storage } = setup({ storage: fakeStorage(300) });
  queue.add(entry('k-1', `data:image/png;base64,${'A'.repeat(1000)}`), networkError());
  const [stored] = JSON.parse(storage.getItem('snagdesk:queue:wt_abc'));
  assert.equal(stored.key, 'k-1');
  assert.equal(stored.screenshot, null);
});

test('without usable storage the entry and its screenshot are still retried from memory', async () => {
  const { queue, sent } = setup({ storage: fakeStorage(10), answers: [{ number: 3 }] });
  queue.add(entry(), networkError());
  assert.equal(queue.entries()[0].screenshot, 'data:image/png;base64,AAAA');
  await queue.flush(true);
  assert.deepEqual(sent, ['k-1']);
  assert.deepEqual(queue.entries(), []);
});

test('with no storage at all (sandboxed frame) the queue works from memory', async () => {
  const { queue, sent } = setup({ storage: null, answers: [{ number: 4 }] });
  queue.add(entry(), networkError());
  await queue.flush(true);
  assert.deepEqual(sent, ['k-1']);
});

test('entries older than a week are dropped without being sent', async () => {
  const { queue, clock, sent } = setup();
  queue.add(entry(), networkError());
  clock.t += 8 * 24 * 60 * 60 * 1000;
  await queue.flush(true);
  assert.deepEqual(sent, []);
  assert.deepEqual(queue.entries(), []);
});
