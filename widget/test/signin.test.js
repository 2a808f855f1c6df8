import assert from 'node:assert/strict';
import { test } from 'node:test';
import { de, fa, nl } from '../src/i18n.js';

// The chunk registers itself on `window` when it runs.
globalThis.window = globalThis.window || {};
const { contactStrings } = await import('../src/signin.js');

const BASE = 'https://desk.example.com';
const CATALOGUES = { nl, fa, de };

// fetch() of the language chunks: the ones in `available`, 404 for the others.
function fakeFetch(available = Object.keys(CATALOGUES)) {
  const urls = [];
  const fetchFn = async (url) => {
    urls.push(url);
    const lang = url.match(/i18n\/(.+)\.json$/)[1];
    if (lang === 'en') return { ok: true, json: async () => ({ title: 'Report a problem' }) };
    if (!available.includes(lang)) return { ok: false, status: 404 };
    return { ok: true, json: async () => CATALOGUES[lang] };
  };
  return { fetchFn, urls };
}

test("a contact's saved language is loaded from its chunk, with the staff's texts", async () => {
  const { fetchFn, urls } = fakeFetch();
  const found = await contactStrings(
    { session: 's', lang: 'nl' },
    { base: BASE, lang: 'en', fetchFn, texts: { trigger: 'Help' } },
  );
  assert.equal(found.lang, 'nl');
  assert.equal(found.strings.title, 'Probleem melden');
  assert.equal(found.strings.trigger, 'Help');
  assert.deepEqual(urls, [`${BASE}/widget/v1/i18n/nl.json`]);
});

test('Persian is loaded like any other language', async () => {
  const found = await contactStrings(
    { session: 's', lang: 'fa' },
    { base: BASE, lang: 'de', fetchFn: fakeFetch().fetchFn },
  );
  assert.equal(found.lang, 'fa');
  assert.equal(found.strings.close, fa.close);
});

test('no saved language, an unknown one or the current one: nothing is fetched', async () => {
  for (const lang of ['', 'xx', 'de', undefined]) {
    const { fetchFn, urls } = fakeFetch();
    assert.equal(
      await contactStrings({ session: 's', lang }, { base: BASE, lang: 'de', fetchFn }),
      null,
    );
    assert.deepEqual(urls, [], String(lang));
  }
});

test('a language that cannot be loaded keeps the current one (not the English fallback)', async () => {
  const { fetchFn } = fakeFetch([]);
  assert.equal(
    await contactStrings({ session: 's', lang: 'nl' }, { base: BASE, lang: 'de', fetchFn }),
    null,
  );
  const offline = async () => {
    throw new TypeError('Failed to fetch');
  };
  assert.equal(
    await contactStrings(
      { session: 's', lang: 'nl' },
      { base: BASE, lang: 'de', fetchFn: offline },
    ),
    null,
  );
});
