// The last console errors, uncaught errors and unhandled rejections, captured from the
// moment the loader runs so a report carries what went wrong before the visitor opened it.
import { redactText, redactUrl } from './redact.js';

const MAX_ERRORS = 20;
const MAX_MESSAGE = 500;

function describe(value) {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A bounded, redacted list of error entries: {message, source, time}. */
export function createErrorLog({ now = () => new Date() } = {}) {
  const entries = [];
  return {
    add(message, source) {
      entries.push({
        message: redactText(String(message).slice(0, MAX_MESSAGE)),
        source: redactUrl(source).slice(0, MAX_MESSAGE),
        time: now().toISOString(),
      });
      if (entries.length > MAX_ERRORS) entries.shift();
    },
    list: () => entries.slice(),
  };
}

/** Start recording `win`'s console.error calls, error events and unhandled rejections. */
export function captureConsoleErrors(win, log) {
  const original = win.console.error;
  win.console.error = function error(...args) {
    log.add(args.map(describe).join(' '), 'console.error');
    return original.apply(this, args);
  };
  win.addEventListener('error', (event) => {
    const where = event.filename ? `${event.filename}:${event.lineno}:${event.colno}` : '';
    log.add(event.message || describe(event.error), where);
  });
  win.addEventListener('unhandledrejection', (event) => {
    log.add(describe(event.reason), 'unhandledrejection');
  });
}
