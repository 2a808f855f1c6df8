import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSessionStore, loginPopupUrl, readSessionMessage } from '../src/session.js';

const DESK = 'https://desk.example.com';
const message = {
  type: 'snagdesk:session',
  session: 'signed.value',
  name: 'Ada Client',
  email: 'ada@client.example',
  lang: 'pt-BR',
};

test('the popup URL adds the page origin to the login URL', () => {
  assert.equal(
    loginPopupUrl(`${DESK}/portal/widget-login/?token=wt_1`, 'https://client.example:8443'),
    `${DESK}/portal/widget-login/?token=wt_1&origin=https%3A%2F%2Fclient.example%3A8443`,
  );
});

test('a session message from the Snagdesk origin is accepted', () => {
  assert.deepEqual(readSessionMessage({ origin: DESK, data: message }, DESK), {
    session: 'signed.value',
    name: 'Ada Client',
    email: 'ada@client.example',
    lang: 'pt-BR',
  });
});

test("a message without a language (the contact chose none) says ''", () => {
  const { lang, ...rest } = message;
  assert.equal(lang, 'pt-BR');
  assert.equal(readSessionMessage({ origin: DESK, data: rest }, DESK).lang, '');
});

test('the same message from any other origin is ignored', () => {
  assert.equal(readSessionMessage({ origin: 'https://evil.example', data: message }, DESK), null);
  assert.equal(
    readSessionMessage({ origin: 'https://desk.example.com.evil.example', data: message }, DESK),
    null,
  );
});

test('other message types and malformed sessions are ignored', () => {
  assert.equal(
    readSessionMessage({ origin: DESK, data: { ...message, type: 'other' } }, DESK),
    null,
  );
  assert.equal(readSessionMessage({ origin: DESK, data: { ...message, session: 42 } }, DESK), null);
  assert.equal(readSessionMessage({ origin: DESK, data: 'snagdesk:session' }, DESK), null);
});

function fakeStorage() {
  const items = new Map();
  return {
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => items.set(k, v),
    removeItem: (k) => items.delete(k),
  };
}

test('a stored session survives a reload of the page in the same tab', () => {
  const storage = fakeStorage();
  createSessionStore(storage, 'wt_1').set({ session: 's', name: 'Ada', email: 'a@x.example' });
  assert.deepEqual(createSessionStore(storage, 'wt_1').get(), {
    session: 's',
    name: 'Ada',
    email: 'a@x.example',
  });
  assert.equal(createSessionStore(storage, 'wt_2').get(), null);
});

test('clearing the session forgets it in memory and in storage', () => {
  const storage = fakeStorage();
  const store = createSessionStore(storage, 'wt_1');
  store.set({ session: 's' });
  store.clear();
  assert.equal(store.get(), null);
  assert.equal(createSessionStore(storage, 'wt_1').get(), null);
});

test('without storage the session is kept in memory', () => {
  const broken = {
    getItem() {
      throw new Error('denied');
    },
    setItem() {
      throw new Error('denied');
    },
  };
  const store = createSessionStore(broken, 'wt_1');
  store.set({ session: 's' });
  assert.deepEqual(store.get(), { session: 's' });
});
