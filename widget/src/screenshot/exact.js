// "Capture exact pixels": one frame of this tab from getDisplayMedia (Chromium offers the
// current tab first, as `preferCurrentTab` asks), with the masked fields (mask.js) blacked
// out over it. Offered beside the DOM render, which stays the default.
import { MASK_CANDIDATES, shouldMask } from './mask.js';

const MASK_COLOR = '#1d2330';
// Tab capture makes a frame when the page changes; the first may predate the page.
const FRAME_WAIT = 500;
// The first frames of a window still being laid out can be of another size: the next
// ones are taken before the capture is refused.
const FRAME_TRIES = 4;
// Masks are placed by the viewport's geometry: a frame of another surface (a window, the
// screen) or of another shape cannot be masked safely, and is refused.
const SHAPE_TOLERANCE = 0.02;
const REQUEST = {
  video: { displaySurface: 'browser', width: { max: 8192 }, height: { max: 8192 } },
  audio: false,
  preferCurrentTab: true,
  selfBrowserSurface: 'include',
  surfaceSwitching: 'exclude',
  monitorTypeSurfaces: 'exclude',
};

/** Whether this browser can be asked for its own pixels. */
export const exactSupported = (nav) =>
  Boolean(nav.mediaDevices && nav.mediaDevices.getDisplayMedia);

/**
 * Frame pixels per CSS pixel for a `frame` ({width, height, displaySurface}) of a
 * `viewport` ({width, height}), or 0 when the frame is not of the viewport.
 */
export function frameScale(frame, viewport) {
  if (frame.displaySurface && frame.displaySurface !== 'browser') return 0;
  const scale = frame.width / viewport.width;
  const height = viewport.height * scale;
  return scale > 0 && Math.abs(frame.height - height) <= height * SHAPE_TOLERANCE ? scale : 0;
}

/** The viewport boxes (CSS pixels) of what must not show, as mask.js decides. */
export function maskRects(doc) {
  return [...doc.querySelectorAll(MASK_CANDIDATES)]
    .filter(shouldMask)
    .map((element) => element.getBoundingClientRect())
    .filter((rect) => rect.width > 0 && rect.height > 0);
}

/** Black out `rects` (CSS pixels) on `ctx`, at `scale` pixels each, rounded outwards. */
export function drawMasks(ctx, rects, scale) {
  ctx.fillStyle = MASK_COLOR;
  for (const { x, y, width, height } of rects) {
    const left = Math.floor(x * scale);
    const top = Math.floor(y * scale);
    ctx.fillRect(
      left,
      top,
      Math.ceil((x + width) * scale) - left,
      Math.ceil((y + height) * scale) - top,
    );
  }
}

// Two animation frames: the page has been painted without the widget.
const painted = (win) =>
  new Promise((resolve) => win.requestAnimationFrame(() => win.requestAnimationFrame(resolve)));

const nextFrame = (video) =>
  new Promise((resolve) => {
    video.requestVideoFrameCallback(resolve);
    setTimeout(resolve, FRAME_WAIT);
  });

async function grab(stream, doc, win) {
  const [track] = stream.getVideoTracks();
  const canvas = doc.createElement('canvas');
  if (win.ImageCapture) {
    // The next frame the tab makes, not one it had before.
    const bitmap = await new win.ImageCapture(track).grabFrame();
    Object.assign(canvas, { width: bitmap.width, height: bitmap.height });
    canvas.getContext('2d').drawImage(bitmap, 0, 0);
    bitmap.close();
    return canvas;
  }
  const video = Object.assign(doc.createElement('video'), { muted: true, srcObject: stream });
  await video.play();
  await nextFrame(video);
  await nextFrame(video);
  Object.assign(canvas, { width: video.videoWidth, height: video.videoHeight });
  canvas.getContext('2d').drawImage(video, 0, 0);
  return canvas;
}

/**
 * {canvas, engine, unrendered} from one frame of this tab, with `ignore` (the widget)
 * hidden while it is taken. Throws when the visitor refuses, picks another surface, or
 * the browser cannot; the tracks are stopped as soon as the frame is read.
 */
export async function captureExact({ ignore, win = window }) {
  const doc = win.document;
  const restore = hide(ignore);
  let stream = null;
  try {
    // Still within the click's activation, which getDisplayMedia needs (seconds long).
    await painted(win);
    stream = await win.navigator.mediaDevices.getDisplayMedia(REQUEST);
    const [track] = stream.getVideoTracks();
    for (let attempt = 0; attempt < FRAME_TRIES; attempt += 1) {
      // Both before and after the frame, in case the page moved meanwhile.
      const rects = maskRects(doc);
      const canvas = await grab(stream, doc, win);
      rects.push(...maskRects(doc));
      const frame = { ...track.getSettings(), width: canvas.width, height: canvas.height };
      const scale = frameScale(frame, { width: win.innerWidth, height: win.innerHeight });
      if (scale) {
        drawMasks(canvas.getContext('2d'), rects, scale);
        return { canvas, engine: 'display-media', unrendered: [] };
      }
    }
    throw new Error('exact: not this tab');
  } finally {
    if (stream) for (const track of stream.getTracks()) track.stop();
    restore();
  }
}

/**
 * Hide the widget until the returned function is called: its element, and its modal
 * dialog, which sits in the top layer where the element's visibility does not reach.
 */
function hide(widget) {
  const dialogs = widget.shadowRoot ? [...widget.shadowRoot.querySelectorAll('dialog')] : [];
  const saved = [widget, ...dialogs].map(({ style }) => {
    const before = [style.getPropertyValue('visibility'), style.getPropertyPriority('visibility')];
    style.setProperty('visibility', 'hidden', 'important');
    return () => style.setProperty('visibility', ...before);
  });
  return () => saved.forEach((undo) => undo());
}
