// The loader: runs from the snippet tag, starts recording console errors at once, defines
// the Snagdesk global synchronously, then fetches the config and the visitor's language,
// mounts the widget and retries any queued reports.
import { createApi, disabledNotice } from './api.js';
import { lazyChunk } from './chunk.js';
import { captureConsoleErrors, createErrorLog } from './console-capture.js';
import { loadStrings, pickLanguage, withCustomTexts } from './i18n.js';
import { createQueue } from './queue.js';
import { createSessionStore } from './session.js';
import { findLoaderScript, readSnippet } from './snippet.js';
import { entryFormData } from './submission.js';
import { mountWidget } from './widget.js';

// Sandboxed frames throw on mere access to localStorage/sessionStorage.
function storage(win, name) {
  try {
    return win[name];
  } catch {
    return null;
  }
}

function start(win) {
  const doc = win.document;
  const snippet = readSnippet(findLoaderScript(doc));
  // A second copy of the snippet (a CMS plugin plus a manual tag) must not mount twice.
  if (!snippet || win.Snagdesk) return;

  const errorLog = createErrorLog();
  captureConsoleErrors(win, errorLog);
  const fetchFn = win.fetch.bind(win);
  const api = createApi({ base: snippet.base, token: snippet.token, fetchFn });
  const visitor = { identity: {}, custom: {} };
  const onSubmitted = new Set();
  let widget = null;
  let openWhenReady = snippet.openAtStart;

  const emit = (result) => {
    for (const fn of onSubmitted) {
      try {
        fn(result);
      } catch (err) {
        win.console.error(err);
      }
    }
  };

  // Defined before the config arrives: calls made meanwhile are remembered.
  win.Snagdesk = {
    open() {
      if (widget) widget.open();
      else openWhenReady = true;
    },
    close() {
      if (widget) widget.close();
      else openWhenReady = false;
    },
    identify({ name, email } = {}) {
      visitor.identity = { name, email };
      if (widget) widget.prefill(visitor.identity);
    },
    setMetadata(values) {
      Object.assign(visitor.custom, values);
    },
    /** Only 'submitted' ({number, reference}) exists; returns a function that unsubscribes. */
    on(event, fn) {
      if (event === 'submitted') onSubmitted.add(fn);
      return () => onSubmitted.delete(fn);
    },
  };
  win.Snagdesk.identify(snippet);

  const queue = createQueue({
    storage: storage(win, 'localStorage'),
    token: snippet.token,
    send: (entry) => api.submit(entryFormData(entry), entry.key),
    onSent: (entry, result) => (widget ? widget.queuedSent(entry, result) : emit(result)),
    onDropped: (entry, error) => widget && widget.queuedDropped(entry, error),
  });
  win.addEventListener('online', () => queue.flush(true));

  const session = createSessionStore(storage(win, 'sessionStorage'), snippet.token);
  // A contact signed in earlier in this tab sees their own language first.
  const lang = pickLanguage([
    session.get()?.lang,
    snippet.lang,
    ...(win.navigator.languages || [win.navigator.language]),
  ]);
  const chunks = { base: snippet.base, nonce: snippet.nonce, doc, win };
  Promise.all([api.config(), loadStrings({ base: snippet.base, lang, fetchFn })]).then(
    ([config, loaded]) => {
      widget = mountWidget({
        win,
        snippet,
        config,
        strings: withCustomTexts(loaded.strings, config.texts),
        lang: loaded.lang,
        api,
        session,
        queue,
        errorLog,
        chunk: lazyChunk(chunks, 'screenshot', '__snagdeskScreenshot'),
        signin: lazyChunk(chunks, 'signin', '__snagdeskSignIn'),
        visitor,
        emit,
        fetchFn,
      });
      if (openWhenReady) widget.open();
      queue.flush();
    },
    (error) => {
      // No config (unknown or disabled token, foreign origin, server down): no widget, and
      // the queued reports stay queued.
      win.console.warn(disabledNotice(error));
    },
  );
}

start(window);
