// The browser details sent with a submission, shaped as the contract's `metadata` object.
import { redactDeep, redactText, redactUrl } from './redact.js';

// The server rejects metadata over 64 KB; stay clear of it.
export const METADATA_LIMIT = 60 * 1024;

const byteLength = (value) => new TextEncoder().encode(JSON.stringify(value)).length;

/**
 * The metadata for a submission from a window-like `win`, the captured console `errors`,
 * the integrator's `custom` values and the screenshot's `{engine, unrendered}` (or null).
 */
export function collectMetadata({ win, errors, custom, screenshot }) {
  const { document: doc, navigator: nav, screen } = win;
  const metadata = {
    url: redactUrl(win.location.href),
    title: redactText(doc.title),
    referrer: redactUrl(doc.referrer),
    user_agent: nav.userAgent,
    language: nav.language,
    time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    screen: { width: screen.width, height: screen.height },
    viewport: { width: win.innerWidth, height: win.innerHeight },
    device_pixel_ratio: win.devicePixelRatio,
    console_errors: errors,
  };
  if (screenshot) {
    metadata.screenshot_engine = screenshot.engine;
    metadata.unrendered = screenshot.unrendered.map((item) => ({
      kind: item.kind,
      src: redactUrl(item.src),
    }));
  }
  try {
    if (Object.keys(custom).length) metadata.custom = redactDeep(custom);
  } catch {
    // Integrator values JSON cannot hold (cycles) are left out rather than fail the report.
  }
  return fitMetadata(metadata);
}

/** Drop the least useful parts until the JSON fits under METADATA_LIMIT bytes. */
export function fitMetadata(metadata) {
  const fitted = { ...metadata };
  for (const key of ['custom', 'unrendered', 'console_errors']) {
    if (byteLength(fitted) <= METADATA_LIMIT) break;
    delete fitted[key];
  }
  return fitted;
}
