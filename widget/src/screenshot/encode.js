// Canvases as image files: a PNG when it fits (lossless, best for UI), else a JPEG,
// shrinking the canvas until it fits the server's limit, handed to the loader as a data
// URL (the form the offline queue stores); and attached files as canvases.

const JPEG_QUALITY = 0.85;
const SHRINK = 0.75;

const toBlob = (canvas, type, quality) =>
  new Promise((resolve) => canvas.toBlob(resolve, type, quality));

/** A Blob of at most `maxBytes`, or null. `makeCanvas(w, h)` creates the smaller copies. */
export async function encodeCanvas(canvas, maxBytes, makeCanvas) {
  let source = canvas;
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const png = await toBlob(source, 'image/png');
    if (png && png.size <= maxBytes) return png;
    const jpeg = await toBlob(source, 'image/jpeg', JPEG_QUALITY);
    if (jpeg && jpeg.size <= maxBytes) return jpeg;
    const smaller = makeCanvas(
      Math.round(source.width * SHRINK),
      Math.round(source.height * SHRINK),
    );
    smaller.getContext('2d').drawImage(source, 0, 0, smaller.width, smaller.height);
    source = smaller;
  }
  return null;
}

function newCanvas(width, height) {
  return Object.assign(document.createElement('canvas'), { width, height });
}

export async function blobToDataUrl(blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  // Chunked: String.fromCharCode with millions of arguments overflows the stack.
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${blob.type};base64,${btoa(binary)}`;
}

/** The canvas as a data URL of at most `maxBytes` bytes of image, or null. */
export async function encode(canvas, maxBytes) {
  const blob = await encodeCanvas(canvas, maxBytes, newCanvas);
  return blob && blobToDataUrl(blob);
}

/** An attached image file drawn on a canvas (rejects when it is not a decodable image). */
export async function fromFile(file) {
  const bitmap = await createImageBitmap(file);
  const canvas = newCanvas(bitmap.width, bitmap.height);
  canvas.getContext('2d').drawImage(bitmap, 0, 0);
  return canvas;
}
