import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  captureExact,
  drawMasks,
  exactSupported,
  frameScale,
  maskRects,
} from '../src/screenshot/exact.js';

const viewport = { width: 1280, height: 800 };

test('exact pixels are offered only where getDisplayMedia exists', () => {
  assert.equal(exactSupported({ mediaDevices: { getDisplayMedia() {} } }), true);
  assert.equal(exactSupported({ mediaDevices: {} }), false);
  assert.equal(exactSupported({}), false);
});

test('a frame of the tab gives its pixels per CSS pixel', () => {
  const frame = { width: 2560, height: 1600, displaySurface: 'browser' };
  assert.equal(frameScale(frame, viewport), 2);
});

test('a frame a pixel row short of the viewport still fits', () => {
  assert.equal(frameScale({ width: 1280, height: 799 }, viewport), 1);
});

test('a frame of a window or the screen is refused', () => {
  assert.equal(frameScale({ width: 2560, height: 1600, displaySurface: 'window' }, viewport), 0);
  assert.equal(frameScale({ width: 2560, height: 1600, displaySurface: 'monitor' }, viewport), 0);
});

test('a frame of another shape is refused: the masks would miss', () => {
  assert.equal(frameScale({ width: 1920, height: 1080, displaySurface: 'browser' }, viewport), 0);
  assert.equal(frameScale({ width: 0, height: 0 }, viewport), 0);
});

function element(tag, attrs, rect) {
  return {
    tagName: tag,
    hasAttribute: (name) => name in attrs,
    getAttribute: (name) => (name in attrs ? attrs[name] : null),
    getBoundingClientRect: () => rect,
  };
}

test('the masks are the boxes of passwords, card numbers and marked elements', () => {
  const password = { x: 10, y: 20, width: 100, height: 30 };
  const marked = { x: 0, y: 100, width: 50, height: 50 };
  const doc = {
    querySelectorAll: () => [
      element('INPUT', { type: 'password' }, password),
      element('INPUT', { type: 'text', name: 'city' }, { x: 0, y: 0, width: 9, height: 9 }),
      element('DIV', { 'data-snagdesk-mask': '' }, marked),
      element('DIV', { 'data-snagdesk-mask': '' }, { x: 5, y: 5, width: 0, height: 0 }),
    ],
  };
  assert.deepEqual(maskRects(doc), [password, marked]);
});

test('a mask is drawn at the frame scale, rounded outwards', () => {
  const filled = [];
  const ctx = { fillRect: (...box) => filled.push(box) };
  drawMasks(ctx, [{ x: 10.3, y: 20.6, width: 100.2, height: 30.1 }], 2);
  assert.equal(ctx.fillStyle, '#1d2330');
  assert.deepEqual(filled, [[20, 41, 201, 61]]);
});

test('a refused prompt rethrows and shows the widget again', async () => {
  const properties = new Map([['visibility', ['visible', '']]]);
  const style = {
    getPropertyValue: (name) => (properties.get(name) || [''])[0],
    getPropertyPriority: (name) => (properties.get(name) || ['', ''])[1],
    setProperty: (name, value, priority = '') => properties.set(name, [value, priority]),
  };
  let hiddenWhileAsked = null;
  const win = {
    document: {},
    requestAnimationFrame: (fn) => setTimeout(fn, 0),
    navigator: {
      mediaDevices: {
        getDisplayMedia: async () => {
          hiddenWhileAsked = properties.get('visibility')[0] === 'hidden';
          throw new DOMException('denied', 'NotAllowedError');
        },
      },
    },
  };
  await assert.rejects(captureExact({ ignore: { style }, win }), { name: 'NotAllowedError' });
  assert.equal(hiddenWhileAsked, true);
  assert.deepEqual(properties.get('visibility'), ['visible', '']);
});

// A window whose tab capture yields frames of `sizes` in turn, one per grabFrame().
function capturingWindow(sizes) {
  const grabbed = [];
  const stopped = [];
  const track = {
    getSettings: () => ({ displaySurface: 'browser' }),
    stop: () => stopped.push(track),
  };
  const context = { drawImage() {}, fillRect() {} };
  const win = {
    innerWidth: viewport.width,
    innerHeight: viewport.height,
    requestAnimationFrame: (fn) => setTimeout(fn, 0),
    document: {
      querySelectorAll: () => [],
      createElement: () => ({ getContext: () => context }),
    },
    ImageCapture: class {
      async grabFrame() {
        const [width, height] = sizes[Math.min(grabbed.length, sizes.length - 1)];
        grabbed.push([width, height]);
        return { width, height, close() {} };
      }
    },
    navigator: {
      mediaDevices: {
        getDisplayMedia: async () => ({ getVideoTracks: () => [track], getTracks: () => [track] }),
      },
    },
  };
  return { win, grabbed, stopped };
}

const ignored = () => ({
  style: { getPropertyValue: () => '', getPropertyPriority: () => '', setProperty() {} },
});

test('a first frame of another size is passed over for the next one of the tab', async () => {
  const { win, grabbed, stopped } = capturingWindow([
    [800, 600],
    [2560, 1600],
  ]);
  const { canvas, engine } = await captureExact({ ignore: ignored(), win });
  assert.equal(engine, 'display-media');
  assert.deepEqual([canvas.width, canvas.height], [2560, 1600]);
  assert.equal(grabbed.length, 2);
  assert.equal(stopped.length, 1);
});

test('frames that never fit the tab are refused, and the capture stops', async () => {
  const { win, grabbed, stopped } = capturingWindow([[1920, 1080]]);
  await assert.rejects(captureExact({ ignore: ignored(), win }), /not this tab/);
  assert.equal(grabbed.length, 4);
  assert.equal(stopped.length, 1);
});
