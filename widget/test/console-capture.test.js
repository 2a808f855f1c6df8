import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captureConsoleErrors, createErrorLog } from '../src/console-capture.js';

// The smallest window the capture needs: a console and an event target.
function fakeWindow() {
  const target = new EventTarget();
  const printed = [];
  return {
    console: { error: (...args) => printed.push(args) },
    addEventListener: target.addEventListener.bind(target),
    dispatch: (type, props) => target.dispatchEvent(Object.assign(new Event(type), props)),
    printed,
  };
}

const fixedNow = () => new Date('2026-01-02T03:04:05Z');

test('console.error is recorded and still printed', () => {
  const win = fakeWindow();
  const log = createErrorLog({ now: fixedNow });
  captureConsoleErrors(win, log);
  win.console.error('Failed:', new TypeError('x is undefined'), { status: 500 });
  assert.deepEqual(log.list(), [
    {
      message: 'Failed: TypeError: x is undefined {"status":500}',
      source: 'console.error',
      time: '2026-01-02T03:04:05.000Z',
    },
  ]);
  assert.equal(win.printed.length, 1);
});

test('uncaught errors keep their file, line and column', () => {
  const win = fakeWindow();
  const log = createErrorLog({ now: fixedNow });
  captureConsoleErrors(win, log);
  win.dispatch('error', {
    message: 'ReferenceError: y is not defined',
    filename: 'https://s.example/app.js',
    lineno: 12,
    colno: 5,
  });
  assert.equal(log.list()[0].source, 'https://s.example/app.js:12:5');
  assert.equal(log.list()[0].message, 'ReferenceError: y is not defined');
});

test('unhandled rejections are recorded with their reason', () => {
  const win = fakeWindow();
  const log = createErrorLog({ now: fixedNow });
  captureConsoleErrors(win, log);
  win.dispatch('unhandledrejection', { reason: new Error('network down') });
  assert.deepEqual(
    log.list().map((e) => [e.message, e.source]),
    [['Error: network down', 'unhandledrejection']],
  );
});

test('only the last 20 errors are kept', () => {
  const log = createErrorLog({ now: fixedNow });
  for (let i = 0; i < 25; i += 1) log.add(`error ${i}`, '');
  assert.equal(log.list().length, 20);
  assert.equal(log.list()[0].message, 'error 5');
});

test('messages are truncated and secrets in them redacted', () => {
  const log = createErrorLog({ now: fixedNow });
  log.add(
    `token sk_live_4eC39HqLyjWDarjtT1zdp7dc ${'x'.repeat(1000)}`,
    'https://s.example/a.js?key=1:3:4',
  );
  const [entry] = log.list();
  assert.ok(entry.message.startsWith('token [redacted] xxx'));
  assert.equal(
    entry.message.length,
    500 - 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'.length + '[redacted]'.length,
  );
  assert.equal(entry.source, 'https://s.example/a.js?key=[redacted]');
});
