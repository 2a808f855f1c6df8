import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shouldMask } from '../src/screenshot/mask.js';
import { HIGHLIGHT_COLOR, boxFromDrag, paint, toCanvasPoint } from '../src/screenshot/shapes.js';

// Just enough of an Element for shouldMask.
function element(tagName, attributes = {}) {
  return {
    tagName,
    hasAttribute: (name) => name in attributes,
    getAttribute: (name) => (name in attributes ? attributes[name] : null),
  };
}

test('password inputs are masked whatever the case of their type', () => {
  assert.ok(shouldMask(element('INPUT', { type: 'password' })));
  assert.ok(shouldMask(element('INPUT', { type: 'PASSWORD' })));
});

test('card-number inputs are masked by autocomplete, name or id', () => {
  assert.ok(shouldMask(element('INPUT', { autocomplete: 'cc-number' })));
  assert.ok(shouldMask(element('INPUT', { autocomplete: 'billing cc-number' })));
  assert.ok(shouldMask(element('INPUT', { autocomplete: 'cc-csc' })));
  assert.ok(shouldMask(element('INPUT', { name: 'cardNumber' })));
  assert.ok(shouldMask(element('INPUT', { id: 'cc-num' })));
  assert.ok(shouldMask(element('INPUT', { name: 'ccnum' })));
  assert.ok(shouldMask(element('INPUT', { name: 'cvv' })));
});

test('any element marked data-snagdesk-mask is masked', () => {
  assert.ok(shouldMask(element('DIV', { 'data-snagdesk-mask': '' })));
  assert.ok(shouldMask(element('TEXTAREA', { 'data-snagdesk-mask': '' })));
});

test('ordinary fields and elements are left alone', () => {
  assert.ok(!shouldMask(element('INPUT', { type: 'text', name: 'email', autocomplete: 'email' })));
  assert.ok(!shouldMask(element('INPUT', { type: 'search', id: 'q' })));
  assert.ok(!shouldMask(element('DIV', { id: 'card' })));
  assert.ok(!shouldMask(element('INPUT', { autocomplete: 'cc-name-other' })));
});

test('a drag in any direction gives the same box', () => {
  assert.deepEqual(boxFromDrag({ x: 50, y: 80 }, { x: 10, y: 20 }, 200, 100), {
    x: 10,
    y: 20,
    w: 40,
    h: 60,
  });
});

test('boxes are clamped to the image', () => {
  assert.deepEqual(boxFromDrag({ x: -20, y: 90 }, { x: 30, y: 150 }, 200, 100), {
    x: 0,
    y: 90,
    w: 30,
    h: 10,
  });
});

test('a click or tiny drag draws nothing', () => {
  assert.equal(boxFromDrag({ x: 5, y: 5 }, { x: 7, y: 40 }, 200, 100), null);
});

test('pointer positions are scaled from the displayed size to image pixels', () => {
  const rect = { left: 100, top: 50, width: 320, height: 180 };
  assert.deepEqual(toCanvasPoint(260, 140, rect, 1280, 720), { x: 640, y: 360 });
});

test('black-outs are filled opaque and highlights outlined, in drawing order', () => {
  const calls = [];
  const ctx = new Proxy(
    {},
    {
      get:
        (_, name) =>
        (...args) =>
          calls.push([name, ...args]),
      set: (_, name, value) => calls.push([`${name}=`, value]),
    },
  );
  paint(ctx, { width: 800 }, [
    { tool: 'blackout', x: 1, y: 2, w: 30, h: 40 },
    { tool: 'highlight', x: 10, y: 10, w: 100, h: 50 },
  ]);
  assert.deepEqual(calls, [
    ['drawImage', { width: 800 }, 0, 0],
    ['fillStyle=', '#000'],
    ['fillRect', 1, 2, 30, 40],
    ['strokeStyle=', HIGHLIGHT_COLOR],
    ['lineWidth=', 3],
    ['strokeRect', 11.5, 11.5, 97, 47],
  ]);
});
