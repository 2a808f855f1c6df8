// media/js/identify.js against a fake page: it must call Snagdesk.identify() with the
// loader tag's data-name/data-email, wait for the loader when it has not run, and do
// nothing without those attributes. Run by ../run-tests when node is there.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import vm from 'node:vm';

const source = readFileSync(new URL('../plg_system_snagdesk/media/js/identify.js', import.meta.url), 'utf8');

function tag(attributes) {
  const listeners = {};
  return {
    attributes,
    listeners,
    hasAttribute: (name) => name in attributes,
    getAttribute: (name) => (name in attributes ? attributes[name] : null),
    addEventListener: (type, fn) => {
      listeners[type] = fn;
    },
  };
}

function page(tags, snagdesk) {
  const selectors = [];
  const window = {
    Snagdesk: snagdesk,
    document: {
      querySelectorAll: (selector) => {
        selectors.push(selector);
        return tags;
      },
    },
  };
  window.window = window;
  vm.runInNewContext(source, window);
  return { window, selectors };
}

function recorder() {
  const calls = [];
  // The script runs in another realm: keep plain copies, which deepEqual can compare.
  return { calls, identify: (identity) => calls.push(JSON.parse(JSON.stringify(identity))) };
}

test('identifies the logged-in user from the loader tag', () => {
  const snagdesk = recorder();
  const { selectors } = page([tag({ 'data-token': 'wt_x', 'data-name': 'Zoë "Z"', 'data-email': 'z@x.example' })], snagdesk);
  assert.deepEqual(snagdesk.calls, [{ name: 'Zoë "Z"', email: 'z@x.example' }]);
  assert.deepEqual(selectors, ['script[data-token][src*="/widget/v1/loader.js"]']);
});

test('passes only what the tag has', () => {
  const snagdesk = recorder();
  page([tag({ 'data-token': 'wt_x', 'data-email': 'z@x.example' })], snagdesk);
  assert.deepEqual(snagdesk.calls, [{ email: 'z@x.example' }]);
});

test('uses the last tag with an identity (a manual snippet may sit beside it)', () => {
  const snagdesk = recorder();
  page([tag({ 'data-token': 'wt_a', 'data-name': 'Ada' }), tag({ 'data-token': 'wt_b' })], snagdesk);
  assert.deepEqual(snagdesk.calls, [{ name: 'Ada' }]);
});

test('does nothing without name or email', () => {
  const snagdesk = recorder();
  const loader = tag({ 'data-token': 'wt_x' });
  page([loader], snagdesk);
  assert.deepEqual(snagdesk.calls, []);
  assert.deepEqual(loader.listeners, {});
});

test('waits for the loader when it has not run yet', () => {
  const loader = tag({ 'data-token': 'wt_x', 'data-name': 'Ada' });
  const { window } = page([loader], undefined);
  assert.equal(typeof loader.listeners.load, 'function');
  const snagdesk = recorder();
  window.Snagdesk = snagdesk;
  loader.listeners.load();
  assert.deepEqual(snagdesk.calls, [{ name: 'Ada' }]);
});
