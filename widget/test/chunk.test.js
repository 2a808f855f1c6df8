import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lazyChunk } from '../src/chunk.js';

// A document whose appended scripts "load" (or fail) on the next tick.
function fakeDocument(win, { fail = false } = {}) {
  const scripts = [];
  return {
    scripts,
    createElement: (tag) => ({ tag }),
    head: {
      append(script) {
        scripts.push(script);
        setTimeout(() => {
          if (fail) return script.onerror(new Event('error'));
          win.__snagdeskScreenshot = { mount() {} };
          return script.onload();
        });
      },
    },
  };
}

test('the chunk is a script from the loader host carrying the loader nonce', async () => {
  const win = {};
  const doc = fakeDocument(win);
  const chunk = lazyChunk(
    { base: 'https://desk.example', nonce: 'n0nce', doc, win },
    'screenshot',
    '__snagdeskScreenshot',
  );
  const api = await chunk.load();
  assert.equal(api, win.__snagdeskScreenshot);
  assert.equal(doc.scripts[0].src, 'https://desk.example/widget/v1/screenshot.js');
  assert.equal(doc.scripts[0].nonce, 'n0nce');
});

test('prefetching and loading share one script', async () => {
  const win = {};
  const doc = fakeDocument(win);
  const chunk = lazyChunk(
    { base: 'https://d', nonce: undefined, doc, win },
    'screenshot',
    '__snagdeskScreenshot',
  );
  chunk.prefetch();
  await chunk.load();
  await chunk.load();
  assert.equal(doc.scripts.length, 1);
  assert.equal('nonce' in doc.scripts[0], false);
});

test('a failed load is tried again on the next request', async () => {
  const win = {};
  const doc = fakeDocument(win, { fail: true });
  const chunk = lazyChunk(
    { base: 'https://d', nonce: undefined, doc, win },
    'screenshot',
    '__snagdeskScreenshot',
  );
  await assert.rejects(chunk.load());
  await assert.rejects(chunk.load());
  assert.equal(doc.scripts.length, 2);
});

test('the sign-in chunk is loaded from its own file and resolves with its own global', async () => {
  const win = {};
  const scripts = [];
  const doc = {
    createElement: (tag) => ({ tag }),
    head: {
      append(script) {
        scripts.push(script);
        win.__snagdeskSignIn = { show() {} };
        script.onload();
      },
    },
  };
  const api = await lazyChunk({ base: 'https://d', doc, win }, 'signin', '__snagdeskSignIn').load();
  assert.equal(scripts[0].src, 'https://d/widget/v1/signin.js');
  assert.equal(api, win.__snagdeskSignIn);
});
