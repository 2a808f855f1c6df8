// The pure parts of the fidelity work: the build-time patches of html2canvas-pro.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PATCHES, applyPatches } from '../scripts/html2canvas-patches.mjs';

const LIBRARY = new URL(
  '../node_modules/html2canvas-pro/dist/html2canvas-pro.esm.js',
  import.meta.url,
);

test('every patch applies exactly once to the installed html2canvas-pro', () => {
  const source = readFileSync(LIBRARY, 'utf8');
  const patched = applyPatches(source);
  for (const { replace } of PATCHES) assert.ok(patched.includes(replace));
  assert.doesNotMatch(patched, /createElement\("style"\)/);
});

test('a patch that no longer matches fails the build instead of shipping unpatched', () => {
  const patch = { name: 'gone', find: 'not in the source', replace: 'x' };
  assert.throws(() => applyPatches('some source', [patch]), /"gone" matched 0 times/);
});

test('a patch that matches twice fails the build too', () => {
  const patch = { name: 'twice', find: 'a', replace: 'b' };
  assert.throws(() => applyPatches('a a', [patch]), /"twice" matched 2 times/);
});

test('a patch replacement is inserted literally, $ signs included', () => {
  const patch = { name: 'dollar', find: 'x', replace: '$& $1' };
  assert.equal(applyPatches('[x]', [patch]), '[$& $1]');
});
