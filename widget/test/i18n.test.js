import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as i18n from '../src/i18n.js';

const { LANGUAGES, en, format, loadStrings, pickLanguage, withCustomTexts } = i18n;
const placeholders = (text) => (text.match(/\{\w+\}/g) || []).sort();

test('at least 20 languages are offered, English first', () => {
  assert.ok(LANGUAGES.length >= 20);
  assert.equal(LANGUAGES[0], 'en');
  assert.equal(new Set(LANGUAGES).size, LANGUAGES.length);
});

test('every language has exactly the English keys, none empty', () => {
  const keys = Object.keys(en).sort();
  for (const lang of LANGUAGES) {
    const strings = i18n[lang];
    assert.ok(strings, `${lang} is exported`);
    assert.deepEqual(Object.keys(strings).sort(), keys, lang);
    for (const key of keys) assert.ok(strings[key].trim(), `${lang}.${key} is empty`);
  }
});

test('every translation keeps the English placeholders', () => {
  for (const lang of LANGUAGES) {
    for (const [key, text] of Object.entries(en)) {
      assert.deepEqual(placeholders(i18n[lang][key]), placeholders(text), `${lang}.${key}`);
    }
  }
});

test('translations are translated, not English copies', () => {
  for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
    assert.notEqual(i18n[lang].sign_in_intro, en.sign_in_intro, lang);
    assert.notEqual(i18n[lang].err_generic, en.err_generic, lang);
  }
});

test('the language comes from the first supported preference, by primary subtag', () => {
  assert.equal(pickLanguage(['fr-CA', 'en-US']), 'fr');
  assert.equal(pickLanguage(['xx', 'de-AT']), 'de');
  assert.equal(pickLanguage(['zh-Hant-TW']), 'zh');
  assert.equal(pickLanguage(['PT_br']), 'pt');
});

test('a forced data-lang placed first wins over the browser languages', () => {
  assert.equal(pickLanguage(['ja', 'fr-FR', 'en']), 'ja');
});

test('Norwegian tags select Bokmål', () => {
  assert.equal(pickLanguage(['no']), 'nb');
  assert.equal(pickLanguage(['nn-NO']), 'nb');
});

test('English is the fallback when nothing matches', () => {
  assert.equal(pickLanguage(['xx-YY', '', undefined]), 'en');
  assert.equal(pickLanguage([]), 'en');
});

test('placeholders are filled and unknown ones left visible', () => {
  assert.equal(format(en.sent_body, { reference: '#123' }), 'Your request #123 has been received.');
  assert.equal(format('{a} {b}', { a: 1 }), '1 {b}');
});

test('staff custom texts take precedence over translations, empty ones do not', () => {
  const strings = withCustomTexts(i18n.fr, {
    trigger: 'Aide',
    title: '',
    intro: 'Bonjour',
    send: 'x',
  });
  assert.equal(strings.trigger, 'Aide');
  assert.equal(strings.title, i18n.fr.title);
  assert.equal(strings.intro, 'Bonjour');
  assert.equal(strings.send, i18n.fr.send);
});

test('missing custom texts leave the translations alone', () => {
  assert.deepEqual(withCustomTexts(en, undefined), en);
});

const jsonResponse = (body, status = 200) => new Response(JSON.stringify(body), { status });

test('English is fetched like any other language', async () => {
  const urls = [];
  const fetchFn = async (url) => {
    urls.push(url);
    return jsonResponse(en);
  };
  assert.deepEqual(await loadStrings({ base: 'https://d', lang: 'en', fetchFn }), {
    lang: 'en',
    strings: en,
  });
  assert.deepEqual(urls, ['https://d/widget/v1/i18n/en.json']);
});

test('the visitor language is fetched from its chunk next to the loader', async () => {
  const urls = [];
  const fetchFn = async (url) => {
    urls.push(url);
    return jsonResponse(i18n.de);
  };
  const { lang, strings } = await loadStrings({
    base: 'https://desk.example',
    lang: 'de',
    fetchFn,
  });
  assert.deepEqual(urls, ['https://desk.example/widget/v1/i18n/de.json']);
  assert.equal(lang, 'de');
  assert.equal(strings.send, 'Senden');
});

test('a missing language chunk falls back to English', async () => {
  const fetchFn = async (url) =>
    url.endsWith('/en.json') ? jsonResponse(en) : jsonResponse({}, 404);
  const { lang, strings } = await loadStrings({ base: 'https://d', lang: 'de', fetchFn });
  assert.equal(lang, 'en');
  assert.deepEqual(strings, en);
});

test('loading fails when not even English can be fetched', async () => {
  const fetchFn = async () => {
    throw new TypeError('offline');
  };
  await assert.rejects(loadStrings({ base: 'https://d', lang: 'fr', fetchFn }));
});
