import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findLoaderScript, readSnippet } from '../src/snippet.js';

function scriptTag(src, attributes = {}, nonce) {
  return { src, nonce, getAttribute: (name) => (name in attributes ? attributes[name] : null) };
}

test('base URL and token come from the snippet tag', () => {
  const tag = scriptTag('https://desk.example.com/widget/v1/loader.js', { 'data-token': 'wt_abc' });
  assert.deepEqual(readSnippet(tag), {
    base: 'https://desk.example.com',
    token: 'wt_abc',
    lang: '',
    openAtStart: false,
    nonce: undefined,
    name: null,
    email: null,
  });
});

test('a Snagdesk installed under a path keeps the path in its base URL', () => {
  const tag = scriptTag('https://agency.example/desk/widget/v1/loader.js?v=2', {
    'data-token': 'wt_abc',
  });
  assert.equal(readSnippet(tag).base, 'https://agency.example/desk');
});

test('data-lang and data-open are read', () => {
  const tag = scriptTag(
    'https://d.example/widget/v1/loader.js',
    { 'data-token': 't', 'data-lang': 'de', 'data-open': 'true' },
    'n0nce',
  );
  const snippet = readSnippet(tag);
  assert.equal(snippet.lang, 'de');
  assert.equal(snippet.openAtStart, true);
  assert.equal(snippet.nonce, 'n0nce');
});

test('data-name and data-email are read as given, for the loader to pass to identify()', () => {
  const tag = scriptTag('https://d.example/widget/v1/loader.js', {
    'data-token': 't',
    'data-name': 'Ada Lovelace',
    'data-email': 'ada@client.example',
  });
  const { name, email } = readSnippet(tag);
  assert.deepEqual({ name, email }, { name: 'Ada Lovelace', email: 'ada@client.example' });
});

test('a tag without a token is not a snippet', () => {
  assert.equal(readSnippet(scriptTag('https://d.example/widget/v1/loader.js')), null);
  assert.equal(readSnippet(null), null);
});

test('document.currentScript is preferred, else the last snippet tag', () => {
  const current = scriptTag('a');
  assert.equal(findLoaderScript({ currentScript: current }), current);
  const tags = [scriptTag('first'), scriptTag('last')];
  const doc = {
    currentScript: null,
    querySelectorAll(selector) {
      assert.equal(selector, 'script[data-token][src*="/widget/v1/loader.js"]');
      return tags;
    },
  };
  assert.equal(findLoaderScript(doc), tags[1]);
});
