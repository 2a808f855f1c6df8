import assert from 'node:assert/strict';
import { test } from 'node:test';
import { METADATA_LIMIT, collectMetadata, fitMetadata } from '../src/metadata.js';

function fakeWindow(overrides = {}) {
  return {
    location: { href: 'https://client.example/shop?id=3&token=abc' },
    document: { title: 'Shop', referrer: 'https://client.example/' },
    navigator: { userAgent: 'Mozilla/5.0 Test', language: 'fr-FR' },
    screen: { width: 1920, height: 1080 },
    innerWidth: 1280,
    innerHeight: 720,
    devicePixelRatio: 2,
    ...overrides,
  };
}

const errors = [
  { message: 'TypeError: x', source: 'app.js:1:2', time: '2026-01-01T00:00:00.000Z' },
];

test('metadata has the contract shape with the page URL redacted', () => {
  const metadata = collectMetadata({ win: fakeWindow(), errors, custom: {}, screenshot: null });
  assert.deepEqual(metadata, {
    url: 'https://client.example/shop?id=3&token=[redacted]',
    title: 'Shop',
    referrer: 'https://client.example/',
    user_agent: 'Mozilla/5.0 Test',
    language: 'fr-FR',
    time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    screen: { width: 1920, height: 1080 },
    viewport: { width: 1280, height: 720 },
    device_pixel_ratio: 2,
    console_errors: errors,
  });
});

test('a screenshot adds its engine and what it could not draw', () => {
  const metadata = collectMetadata({
    win: fakeWindow(),
    errors: [],
    custom: {},
    screenshot: {
      engine: 'html2canvas-pro',
      unrendered: [{ kind: 'cross-origin-iframe', src: 'https://x.example/?sig=1' }],
    },
  });
  assert.equal(metadata.screenshot_engine, 'html2canvas-pro');
  assert.deepEqual(metadata.unrendered, [
    { kind: 'cross-origin-iframe', src: 'https://x.example/?sig=[redacted]' },
  ]);
});

test('custom values from setMetadata are kept under custom, secrets redacted', () => {
  const metadata = collectMetadata({
    win: fakeWindow(),
    errors: [],
    custom: { plan: 'pro', auth_token: 't' },
    screenshot: null,
  });
  assert.deepEqual(metadata.custom, { plan: 'pro', auth_token: '[redacted]' });
});

test('custom values JSON cannot hold are left out', () => {
  const custom = { plan: 'pro' };
  custom.self = custom;
  assert.equal(
    collectMetadata({ win: fakeWindow(), errors: [], custom, screenshot: null }).custom,
    undefined,
  );
});

test('oversized metadata drops custom values first and stays under the limit', () => {
  const big = {
    url: 'https://a.example/',
    custom: { blob: 'x'.repeat(METADATA_LIMIT) },
    console_errors: errors,
  };
  const fitted = fitMetadata(big);
  assert.equal(fitted.custom, undefined);
  assert.deepEqual(fitted.console_errors, errors);
});

test('metadata that fits is returned unchanged', () => {
  const small = { url: 'https://a.example/', custom: { plan: 'pro' } };
  assert.deepEqual(fitMetadata(small), small);
});
