// The pure parts of the fidelity work: the build-time patches of html2canvas-pro, SVG
// shapes as path data, and what a select stand-in shows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PATCHES, applyPatches } from '../scripts/html2canvas-patches.mjs';
import { pairs } from '../src/screenshot/clone.js';
import { isDropDown, selectLabel } from '../src/screenshot/select.js';
import { shapePathData, svgDrawable } from '../src/screenshot/svg.js';

const LIBRARY = new URL(
  '../node_modules/html2canvas-pro/dist/html2canvas-pro.esm.js',
  import.meta.url,
);

// Just enough of an SVG element for shapePathData and svgDrawable.
function shape(tagName, attributes = {}, children = []) {
  return {
    tagName,
    hasAttribute: (name) => name in attributes,
    getAttribute: (name) => (name in attributes ? String(attributes[name]) : null),
    querySelectorAll: () => children,
  };
}

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

test('lines, polylines and polygons become move and line commands', () => {
  assert.equal(shapePathData(shape('line', { x1: 1, y1: 2, x2: 3, y2: 4 })), 'M1 2L3 4');
  assert.equal(shapePathData(shape('polyline', { points: '4 12 9 17 20,6' })), 'M4 12L9 17L20 6');
  assert.equal(shapePathData(shape('polygon', { points: '0 0 10 0 5 8' })), 'M0 0L10 0L5 8Z');
});

test('circles and ellipses become two arcs', () => {
  assert.equal(
    shapePathData(shape('circle', { cx: 12, cy: 12, r: 9 })),
    'M3 12A9 9 0 1 0 21 12A9 9 0 1 0 3 12Z',
  );
  assert.equal(
    shapePathData(shape('ellipse', { cx: 12, cy: 12, rx: 9, ry: 5 })),
    'M3 12A9 5 0 1 0 21 12A9 5 0 1 0 3 12Z',
  );
});

test('rectangles keep their corner radius, clamped to half their size', () => {
  assert.equal(shapePathData(shape('rect', { x: 1, y: 2, width: 4, height: 3 })), 'M1 2H5V5H1Z');
  const rounded = shapePathData(shape('rect', { width: 10, height: 4, rx: 5 }));
  assert.match(rounded, /^M5 0H5A5 2 0 0 1 10 2V2/);
});

test('shapes with nothing to draw give no path', () => {
  assert.equal(shapePathData(shape('circle', { cx: 1, cy: 1, r: 0 })), '');
  assert.equal(shapePathData(shape('rect', { width: 0, height: 4 })), '');
  assert.equal(shapePathData(shape('polygon', {})), '');
});

test('an svg of shapes and groups is drawn by the widget, one with text is left to the engine', () => {
  const icon = shape('svg', {}, [shape('g'), shape('path', { d: 'M0 0' }), shape('title')]);
  assert.ok(svgDrawable(icon));
  assert.ok(!svgDrawable(shape('svg', {}, [shape('text')])));
  assert.ok(!svgDrawable(shape('svg', {}, [shape('use')])));
});

test('a select shows its selected option, or the first one', () => {
  const options = [
    { label: 'Small', text: 'Small' },
    { label: '', text: 'Medium' },
  ];
  assert.equal(selectLabel({ options, selectedIndex: 1 }), 'Medium');
  assert.equal(selectLabel({ options, selectedIndex: -1 }), 'Small');
  assert.equal(selectLabel({ options: [], selectedIndex: -1 }), '');
});

test('only closed drop-downs with their native look get a stand-in', () => {
  const auto = { appearance: 'auto' };
  assert.ok(isDropDown({ multiple: false, size: 0 }, auto));
  assert.ok(!isDropDown({ multiple: true, size: 0 }, auto));
  assert.ok(!isDropDown({ multiple: false, size: 4 }, auto));
  assert.ok(!isDropDown({ multiple: false, size: 0 }, { appearance: 'none' }));
});

// Just enough of a document for pairs(): querySelectorAll over a fixed list.
const doc = (elements) => ({ querySelectorAll: () => elements });

test('live elements pair with their copies in document order', () => {
  const live = [{ id: 'a' }, { id: 'b' }];
  const copy = [{ id: 'a2' }, { id: 'b2' }];
  assert.deepEqual(pairs(doc(live), doc(copy), 'svg'), [
    [live[0], copy[0]],
    [live[1], copy[1]],
  ]);
});

test('documents that do not line up pair nothing, so nothing is replaced wrongly', () => {
  assert.deepEqual(pairs(doc([{}, {}]), doc([{}]), 'svg'), []);
});

test('elements left out by the filter are left out on both sides', () => {
  const own = { own: true };
  const live = [{ id: 'a' }, own];
  const copy = [{ id: 'a2' }];
  assert.deepEqual(
    pairs(doc(live), doc(copy), 'iframe', (el) => !el.own),
    [[live[0], copy[0]]],
  );
});
