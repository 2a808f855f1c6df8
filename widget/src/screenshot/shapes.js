// Annotation shapes: boxes drawn with the pointer, kept in drawing order with undo.

export const HIGHLIGHT_COLOR = '#ff2d55';
// Drags shorter than this are clicks, not boxes.
const MIN_SIZE = 4;

/**
 * The box between two pointer positions in canvas pixels, clamped to the canvas; null
 * when it is too small to be meant.
 */
export function boxFromDrag(start, end, width, height) {
  const clampX = (v) => Math.min(width, Math.max(0, v));
  const clampY = (v) => Math.min(height, Math.max(0, v));
  const x = clampX(Math.min(start.x, end.x));
  const y = clampY(Math.min(start.y, end.y));
  const w = clampX(Math.max(start.x, end.x)) - x;
  const h = clampY(Math.max(start.y, end.y)) - y;
  return w < MIN_SIZE || h < MIN_SIZE ? null : { x, y, w, h };
}

/** Pointer position relative to an element shown at `rect`, in the canvas' own pixels. */
export function toCanvasPoint(clientX, clientY, rect, width, height) {
  return {
    x: ((clientX - rect.left) * width) / rect.width,
    y: ((clientY - rect.top) * height) / rect.height,
  };
}

/** Paint the base image and the shapes: highlights are outlines, black-outs opaque. */
export function paint(ctx, base, shapes) {
  ctx.drawImage(base, 0, 0);
  const line = Math.max(3, Math.round(base.width / 400));
  for (const { tool, x, y, w, h } of shapes) {
    if (tool === 'blackout') {
      ctx.fillStyle = '#000';
      ctx.fillRect(x, y, w, h);
    } else {
      ctx.strokeStyle = HIGHLIGHT_COLOR;
      ctx.lineWidth = line;
      ctx.strokeRect(x + line / 2, y + line / 2, w - line, h - line);
    }
  }
}
