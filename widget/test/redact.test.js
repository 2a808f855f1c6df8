import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSecretName, looksRandom, redactDeep, redactText, redactUrl } from '../src/redact.js';

test('query parameters named like secrets are redacted, others kept as written', () => {
  assert.equal(
    redactUrl('https://client.example/shop?id=3&token=abc&access_token=x&apiKey=k&q=red+shoes'),
    'https://client.example/shop?id=3&token=[redacted]&access_token=[redacted]&apiKey=[redacted]&q=red+shoes',
  );
});

test('every secret-looking parameter name from the contract is recognised', () => {
  for (const name of [
    'token',
    'key',
    'secret',
    'password',
    'passwd',
    'auth',
    'authorization',
    'session',
    'sessionid',
    'code',
    'sig',
    'signature',
    'X-Amz-Signature',
    'client_secret',
    'api_key',
    'SID',
  ]) {
    assert.ok(isSecretName(name), name);
  }
});

test('ordinary parameter names that merely contain a secret word are kept', () => {
  for (const name of [
    'postcode',
    'keyword',
    'author',
    'design',
    'signup',
    'page',
    'utm_source',
    'q',
  ]) {
    assert.ok(!isSecretName(name), name);
  }
});

test('percent-encoded secret names are still recognised', () => {
  assert.equal(
    redactUrl('https://a.example/?access%5Ftoken=abc&x=1'),
    'https://a.example/?access%5Ftoken=[redacted]&x=1',
  );
});

test('a fragment with parameters is redacted like a query', () => {
  assert.equal(
    redactUrl('https://app.example/cb#access_token=abc&state=1'),
    'https://app.example/cb#access_token=[redacted]&state=1',
  );
});

test('random-looking path segments and values are redacted whatever their name', () => {
  const token = 'c4v9ka1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6eQ';
  assert.equal(
    redactUrl(`https://site.example/reset/MTI/${token}/?next=${token}`),
    'https://site.example/reset/MTI/[redacted]/?next=[redacted]',
  );
});

test('user and password in a URL are dropped', () => {
  assert.equal(redactUrl('https://ada:hunter2@site.example/'), 'https://site.example/');
});

test('an empty or non-http value is treated as text', () => {
  assert.equal(redactUrl(''), '');
  assert.equal(redactUrl('about:blank'), 'about:blank');
});

test('secret-named pairs inside free text are redacted', () => {
  assert.equal(
    redactText(
      'Checkout failed for https://shop.example/pay?session=abc123&step=2 (password=hunter2)',
    ),
    'Checkout failed for https://shop.example/pay?session=[redacted]&step=2 (password=[redacted])',
  );
});

test('secret-named properties inside logged JSON are redacted', () => {
  assert.equal(
    redactText('POST failed {"user":"ada","password": "hunter2","apiKey":"k"}'),
    'POST failed {"user":"ada","password": "[redacted]","apiKey":"[redacted]"}',
  );
});

test('long high-entropy values look random, words and numbers do not', () => {
  assert.ok(looksRandom('sk_live_4eC39HqLyjWDarjtT1zdp7dc'));
  assert.ok(looksRandom('9f86d081884c7d659a2feaa0c55ad015'));
  assert.ok(!looksRandom('internationalisation_settings'));
  assert.ok(!looksRandom('123456789012345678901234567890'));
  assert.ok(!looksRandom('short1'));
});

test('secrets inside free text are replaced, the rest of the message kept', () => {
  const jwt =
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSJ9.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
  assert.equal(
    redactText(`TypeError: bad response for ${jwt} in checkout`),
    'TypeError: bad response for eyJhbGciOiJIUzI1NiJ9.[redacted].[redacted] in checkout',
  );
});

test('nested objects lose secret-named properties and random-looking strings', () => {
  assert.deepEqual(
    redactDeep({
      plan: 'pro',
      api_key: 'abc',
      nested: { ids: ['sk_live_4eC39HqLyjWDarjtT1zdp7dc'], n: 3, ok: true },
    }),
    { plan: 'pro', api_key: '[redacted]', nested: { ids: ['[redacted]'], n: 3, ok: true } },
  );
});
