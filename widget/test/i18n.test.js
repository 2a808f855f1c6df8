import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CATALOGUES,
  LANGUAGES,
  direction,
  en,
  format,
  loadStrings,
  pickLanguage,
  sessionLanguage,
  withCustomTexts,
} from '../src/i18n.js';

const placeholders = (text) => (text.match(/\{\w+\}/g) || []).sort();

// The 27 languages the manuals promise, besides Danish, Korean and Hungarian.
const PROMISED =
  'en bg ca cs de el es fa fi fr fr-CA id it ja nb nl pl pt pt-BR ro ru sk sv tr uk vi zh';

test('the promised languages are offered, English first', () => {
  for (const lang of PROMISED.split(' ')) assert.ok(LANGUAGES.includes(lang), lang);
  for (const lang of ['da', 'ko', 'hu']) assert.ok(LANGUAGES.includes(lang), lang);
  assert.equal(LANGUAGES[0], 'en');
  assert.equal(new Set(LANGUAGES).size, LANGUAGES.length);
});

test('there is one catalogue per language, none more', () => {
  assert.deepEqual(Object.keys(CATALOGUES).sort(), [...LANGUAGES].sort());
});

test('every language has exactly the English keys, none empty', () => {
  const keys = Object.keys(en).sort();
  for (const lang of LANGUAGES) {
    const strings = CATALOGUES[lang];
    assert.ok(strings, `${lang} has a catalogue`);
    assert.deepEqual(Object.keys(strings).sort(), keys, lang);
    for (const key of keys) assert.ok(strings[key].trim(), `${lang}.${key} is empty`);
  }
});

test('every translation keeps the English placeholders', () => {
  for (const lang of LANGUAGES) {
    for (const [key, text] of Object.entries(en)) {
      assert.deepEqual(placeholders(CATALOGUES[lang][key]), placeholders(text), `${lang}.${key}`);
    }
  }
});

test('translations are translated, not English copies', () => {
  for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
    assert.notEqual(CATALOGUES[lang].sign_in_intro, en.sign_in_intro, lang);
    assert.notEqual(CATALOGUES[lang].err_generic, en.err_generic, lang);
  }
});

test('regional variants are their own translations, not copies of the language', () => {
  assert.notEqual(CATALOGUES['pt-BR'].screenshot, CATALOGUES.pt.screenshot);
  assert.notEqual(CATALOGUES['fr-CA'].email, CATALOGUES.fr.email);
});

test('the language comes from the first supported preference, by primary subtag', () => {
  assert.equal(pickLanguage(['xx', 'de-AT']), 'de');
  assert.equal(pickLanguage(['zh-Hant-TW']), 'zh');
  assert.equal(pickLanguage(['fr-BE']), 'fr');
  assert.equal(pickLanguage(['pt-PT']), 'pt');
  assert.equal(pickLanguage(['fa-IR']), 'fa');
});

test('a tag naming a region we have picks that variant, in any spelling', () => {
  assert.equal(pickLanguage(['fr-CA', 'en-US']), 'fr-CA');
  assert.equal(pickLanguage(['pt-BR']), 'pt-BR');
  assert.equal(pickLanguage(['PT_br']), 'pt-BR');
  assert.equal(pickLanguage(['fr']), 'fr');
  assert.equal(pickLanguage(['pt']), 'pt');
});

test('Chinese tags with a script or region select Simplified Chinese', () => {
  assert.equal(pickLanguage(['zh-CN']), 'zh');
  assert.equal(pickLanguage(['zh-Hans']), 'zh');
  assert.equal(pickLanguage(['zh-hans-cn']), 'zh');
});

test('CMS locales (WordPress pt_BR, Joomla fr-CA) select their variant', () => {
  assert.equal(pickLanguage(['pt_BR', 'en']), 'pt-BR');
  assert.equal(pickLanguage(['fr-CA', 'fr']), 'fr-CA');
  assert.equal(pickLanguage(['bg_BG']), 'bg');
});

test('Persian is laid out right to left, the others left to right', () => {
  assert.equal(direction('fa'), 'rtl');
  for (const lang of LANGUAGES.filter((l) => l !== 'fa')) assert.equal(direction(lang), 'ltr');
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
  const strings = withCustomTexts(CATALOGUES.fr, {
    trigger: 'Aide',
    title: '',
    intro: 'Bonjour',
    send: 'x',
  });
  assert.equal(strings.trigger, 'Aide');
  assert.equal(strings.title, CATALOGUES.fr.title);
  assert.equal(strings.intro, 'Bonjour');
  assert.equal(strings.send, CATALOGUES.fr.send);
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
    return jsonResponse(CATALOGUES.de);
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

test("a signed-in contact's saved language wins over the page's", () => {
  assert.equal(sessionLanguage({ session: 's', lang: 'nl' }, 'en'), 'nl');
  assert.equal(sessionLanguage({ session: 's', lang: 'pt-BR' }, 'pt'), 'pt-BR');
  assert.equal(sessionLanguage({ session: 's', lang: 'fr-CA' }, 'en'), 'fr-CA');
  assert.equal(sessionLanguage({ session: 's', lang: 'zh' }, 'en'), 'zh');
  assert.equal(sessionLanguage({ session: 's', lang: 'fa' }, 'de'), 'fa');
  assert.equal(direction(sessionLanguage({ session: 's', lang: 'fa' }, 'de')), 'rtl');
});

test('without a saved language, or one we do not have, the current language stays', () => {
  assert.equal(sessionLanguage({ session: 's', lang: '' }, 'de'), 'de');
  assert.equal(sessionLanguage({ session: 's' }, 'fr-CA'), 'fr-CA');
  assert.equal(sessionLanguage({ session: 's', lang: 'xx' }, 'pt-BR'), 'pt-BR');
  assert.equal(sessionLanguage(null, 'nl'), 'nl');
  assert.equal(sessionLanguage({ session: 's', lang: 'nl' }, 'nl'), 'nl');
});
