// Inline <svg> drawn onto a canvas by the widget itself. The engine would serialise each
// one into a data: image, which a strict CSP (img-src without data:) blocks, reporting a
// violation per icon and leaving a hole. Shapes are drawn with Path2D from the live
// elements' geometry (getCTM: viewBox and transforms included) and computed paint.

const SHAPES = new Set(['path', 'circle', 'ellipse', 'rect', 'line', 'polyline', 'polygon']);
const CONTAINERS = new Set(['svg', 'g', 'title', 'desc']);

const num = (el, name) => parseFloat(el.getAttribute(name)) || 0;

function points(el) {
  const values = (el.getAttribute('points') || '')
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  const pairs = [];
  for (let i = 0; i + 1 < values.length; i += 2) pairs.push(`${values[i]} ${values[i + 1]}`);
  return pairs;
}

/** The path data of a basic shape, from its attributes (pure: no layout needed). */
export function shapePathData(el) {
  const tag = el.tagName.toLowerCase();
  if (tag === 'path') return el.getAttribute('d') || '';
  if (tag === 'line') return `M${num(el, 'x1')} ${num(el, 'y1')}L${num(el, 'x2')} ${num(el, 'y2')}`;
  if (tag === 'polyline' || tag === 'polygon') {
    const pairs = points(el);
    if (!pairs.length) return '';
    return `M${pairs.join('L')}${tag === 'polygon' ? 'Z' : ''}`;
  }
  if (tag === 'circle' || tag === 'ellipse') {
    const cx = num(el, 'cx');
    const cy = num(el, 'cy');
    const rx = tag === 'circle' ? num(el, 'r') : num(el, 'rx');
    const ry = tag === 'circle' ? rx : num(el, 'ry');
    if (rx <= 0 || ry <= 0) return '';
    return `M${cx - rx} ${cy}A${rx} ${ry} 0 1 0 ${cx + rx} ${cy}A${rx} ${ry} 0 1 0 ${cx - rx} ${cy}Z`;
  }
  if (tag === 'rect') {
    const [x, y, w, h] = ['x', 'y', 'width', 'height'].map((name) => num(el, name));
    if (w <= 0 || h <= 0) return '';
    let rx = el.hasAttribute('rx') ? num(el, 'rx') : num(el, 'ry');
    let ry = el.hasAttribute('ry') ? num(el, 'ry') : rx;
    rx = Math.min(rx, w / 2);
    ry = Math.min(ry, h / 2);
    if (!rx || !ry) return `M${x} ${y}H${x + w}V${y + h}H${x}Z`;
    return (
      `M${x + rx} ${y}H${x + w - rx}A${rx} ${ry} 0 0 1 ${x + w} ${y + ry}V${y + h - ry}` +
      `A${rx} ${ry} 0 0 1 ${x + w - rx} ${y + h}H${x + rx}A${rx} ${ry} 0 0 1 ${x} ${y + h - ry}` +
      `V${y + ry}A${rx} ${ry} 0 0 1 ${x + rx} ${y}Z`
    );
  }
  return '';
}

/** True when every element of `svg` is a basic shape or a plain container. */
export function svgDrawable(svg) {
  return [...svg.querySelectorAll('*')].every((el) => {
    const tag = el.tagName.toLowerCase();
    return SHAPES.has(tag) || CONTAINERS.has(tag);
  });
}

const isPaint = (value) => value && value !== 'none' && !value.startsWith('url(');

function paintable(svg, win) {
  return [...svg.querySelectorAll('*')].every((el) => {
    const style = win.getComputedStyle(el);
    return !style.fill.startsWith('url(') && !style.stroke.startsWith('url(');
  });
}

function drawShape(ctx, shape, win, scale) {
  const style = win.getComputedStyle(shape);
  if (style.display === 'none' || style.visibility === 'hidden') return;
  const data = shapePathData(shape);
  if (!data) return;
  const m = shape.getCTM();
  if (!m) return;
  ctx.setTransform(m.a * scale, m.b * scale, m.c * scale, m.d * scale, m.e * scale, m.f * scale);
  const path = new win.Path2D(data);
  const opacity = parseFloat(style.opacity);
  if (isPaint(style.fill)) {
    ctx.globalAlpha = opacity * parseFloat(style.fillOpacity);
    ctx.fillStyle = style.fill;
    ctx.fill(path, style.fillRule === 'evenodd' ? 'evenodd' : 'nonzero');
  }
  const width = parseFloat(style.strokeWidth);
  if (isPaint(style.stroke) && width > 0) {
    ctx.globalAlpha = opacity * parseFloat(style.strokeOpacity);
    ctx.strokeStyle = style.stroke;
    ctx.lineWidth = width;
    ctx.lineCap = style.strokeLinecap;
    ctx.lineJoin = style.strokeLinejoin;
    ctx.miterLimit = parseFloat(style.strokeMiterlimit) || 4;
    const dashes = style.strokeDasharray;
    ctx.setLineDash(dashes && dashes !== 'none' ? dashes.split(/[\s,]+/).map(parseFloat) : []);
    ctx.stroke(path);
  }
}

/**
 * A canvas (created in `doc`) showing the live `svg` at `scale`, or null when it uses
 * something not drawn here (text, <use>, gradients…): the engine then draws it.
 */
export function svgToCanvas(svg, doc, scale) {
  const win = svg.ownerDocument.defaultView;
  if (!svgDrawable(svg) || !paintable(svg, win)) return null;
  const { width, height } = svg.getBoundingClientRect();
  const canvas = doc.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext('2d');
  // getCTM maps each shape into the svg's own viewport, whose origin is its top-left corner.
  for (const shape of svg.querySelectorAll([...SHAPES].join(',')))
    drawShape(ctx, shape, win, scale);
  return canvas;
}
