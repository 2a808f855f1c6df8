// Checks on the committed build (npm run check-build proves it matches src/).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

const read = (name) => readFileSync(new URL(`../dist/v1/${name}`, import.meta.url), 'utf8');
const loader = read('loader.js');
const chunk = read('screenshot.js');
const signin = read('signin.js');

test('the loader stays within its 8 KB gzipped budget', () => {
  const size = gzipSync(loader, { level: 9 }).length;
  assert.ok(size <= 8 * 1024, `loader.js is ${size} bytes gzipped`);
});

test('no eval or Function constructor in any built file', () => {
  for (const code of [loader, chunk, signin]) {
    assert.doesNotMatch(code, /\beval\(|new Function\b/);
  }
});

test('the loader writes no markup and no style attributes a host CSP could block', () => {
  assert.doesNotMatch(
    loader,
    /innerHTML|outerHTML|insertAdjacentHTML|document\.write|setAttribute\("style"|cssText/,
  );
});

test('the screenshot chunk registers the API the loader uses', () => {
  assert.match(chunk, /window\.__snagdeskScreenshot=\{/);
});

test('the sign-in chunk registers the API the loader uses, and the loader has no sign-in code', () => {
  assert.match(signin, /window\.__snagdeskSignIn=\{/);
  assert.doesNotMatch(loader, /snagdesk:session"|snagdesk-login/);
});
