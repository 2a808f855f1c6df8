import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenshotChunk } from '../src/chunk.js';

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
  const chunk = screenshotChunk({ base: 'https://desk.example', nonce: 'n0nce', doc, win });
  const api = await chunk.load();
  assert.equal(api, win.__snagdeskScreenshot);
  assert.equal(doc.scripts[0].src, 'https://desk.example/widget/v1/screenshot.js');
  assert.equal(doc.scripts[0].nonce, 'n0nce');
});

test('prefetching and loading share one script', async () => {
  const win = {};
  const doc = fakeDocument(win);
  const chunk = screenshotChunk({ base: 'https://d', nonce: undefined, doc, win });
  chunk.prefetch();
  await chunk.load();
  await chunk.load();
  assert.equal(doc.scripts.length, 1);
  assert.equal('nonce' in doc.scripts[0], false);
});

test('a failed load is tried again on the next request', async () => {
  const win = {};
  const doc = fakeDocument(win, { fail: true });
  const chunk = screenshotChunk({ base: 'https://d', nonce: undefined, doc, win });
  await assert.rejects(chunk.load());
  await assert.rejects(chunk.load());
  assert.equal(doc.scripts.length, 2);
});
