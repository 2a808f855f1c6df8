import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dataUrlToBlob } from '../src/image.js';
import { blobToDataUrl, encodeCanvas } from '../src/screenshot/encode.js';
import { createEntry, entryFormData, newIdempotencyKey } from '../src/submission.js';

const values = {
  subject: ' Cart broken ',
  message: ' Nothing happens\n',
  name: ' Ada ',
  email: 'ada@client.example ',
};

test('an entry carries trimmed text, metadata as JSON and the key', () => {
  const entry = createEntry({
    values,
    needsSender: false,
    session: null,
    metadata: { url: 'u' },
    screenshot: null,
    key: 'k',
  });
  assert.deepEqual(entry, {
    key: 'k',
    fields: { subject: 'Cart broken', message: 'Nothing happens', metadata: '{"url":"u"}' },
    screenshot: null,
  });
});

test('name and email are sent only when the form asks for them', () => {
  const entry = createEntry({
    values,
    needsSender: true,
    session: null,
    metadata: {},
    screenshot: null,
    key: 'k',
  });
  assert.equal(entry.fields.name, 'Ada');
  assert.equal(entry.fields.email, 'ada@client.example');
});

test('a signed-in visitor sends the session', () => {
  const entry = createEntry({
    values,
    needsSender: false,
    session: 'signed',
    metadata: {},
    screenshot: null,
    key: 'k',
  });
  assert.equal(entry.fields.session, 'signed');
});

test('the multipart body has every field and the screenshot as a named file', async () => {
  const png = new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' });
  const entry = createEntry({
    values,
    needsSender: false,
    session: 's',
    metadata: {},
    screenshot: await blobToDataUrl(png),
    key: 'k',
  });
  const form = entryFormData(entry);
  assert.deepEqual([...form.keys()], ['subject', 'message', 'session', 'metadata', 'screenshot']);
  const file = form.get('screenshot');
  assert.equal(file.name, 'screenshot.png');
  assert.equal(file.type, 'image/png');
  assert.deepEqual([...new Uint8Array(await file.arrayBuffer())], [137, 80, 78, 71]);
});

test('a JPEG screenshot is sent as a JPEG file', () => {
  const form = entryFormData({ key: 'k', fields: {}, screenshot: 'data:image/jpeg;base64,/9j/' });
  assert.equal(form.get('screenshot').name, 'screenshot.jpeg');
  assert.equal(form.get('screenshot').type, 'image/jpeg');
});

test('data URLs round-trip large binary blobs', async () => {
  const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
  const back = dataUrlToBlob(await blobToDataUrl(new Blob([bytes], { type: 'image/webp' })));
  assert.equal(back.type, 'image/webp');
  assert.deepEqual(new Uint8Array(await back.arrayBuffer()), bytes);
});

test('idempotency keys are distinct version-4 UUIDs', () => {
  const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey()));
  assert.equal(keys.size, 50);
  for (const key of keys)
    assert.match(key, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

// A canvas whose encodings weigh `bytesPerPixel` per pixel for each type.
function fakeCanvas(width, height, bytesPerPixel, log) {
  return {
    width,
    height,
    toBlob(callback, type) {
      log.push([type, width]);
      callback(
        new Blob([new Uint8Array(Math.round(width * height * bytesPerPixel[type]))], { type }),
      );
    },
    getContext: () => ({ drawImage() {} }),
  };
}

test('a canvas is sent as PNG when it fits', async () => {
  const log = [];
  const blob = await encodeCanvas(
    fakeCanvas(100, 100, { 'image/png': 1, 'image/jpeg': 0.5 }, log),
    20_000,
    null,
  );
  assert.equal(blob.type, 'image/png');
  assert.deepEqual(log, [['image/png', 100]]);
});

test('a canvas too big as PNG becomes JPEG, then shrinks until it fits', async () => {
  const log = [];
  const bpp = { 'image/png': 4, 'image/jpeg': 1 };
  const makeCanvas = (w, h) => fakeCanvas(w, h, bpp, log);
  const blob = await encodeCanvas(fakeCanvas(200, 100, bpp, log), 12_000, makeCanvas);
  assert.equal(blob.type, 'image/jpeg');
  assert.ok(blob.size <= 12_000);
  assert.deepEqual(log, [
    ['image/png', 200],
    ['image/jpeg', 200],
    ['image/png', 150],
    ['image/jpeg', 150],
  ]);
});
