// The widget once its config and strings are known: which view the dialog shows, the
// sign-in popup, and sending a report (directly, or through the offline queue).
import { appearanceStyle } from './appearance.js';
import { describeError, validateFields } from './errors.js';
import { format } from './i18n.js';
import { collectMetadata } from './metadata.js';
import { createEntry, entryFormData, newIdempotencyKey } from './submission.js';
import { createForm } from './ui/form.js';
import { createScreenshotField } from './ui/screenshot-field.js';
import { createShell } from './ui/shell.js';
import { messageView } from './ui/views.js';

/**
 * Mount the widget. `visitor` is the state the Snagdesk global fills ({identity, custom});
 * `emit(result)` notifies the Snagdesk.on('submitted') listeners.
 */
export function mountWidget({
  win,
  snippet,
  config,
  strings,
  lang,
  api,
  session,
  queue,
  errorLog,
  chunk,
  signin,
  visitor,
  emit,
  fetchFn,
}) {
  const doc = win.document;
  const needsSender = Boolean(config.needs_sender);
  const screenshots = config.screenshots || {};
  let form = null;
  let shot = null;
  // The report shown as queued, with its form so a final refusal can bring it back; and a
  // report to put back into the next form ({values, error}): one refused while nobody was
  // looking (e.g. on a later page load), or one waiting for the visitor to sign in again.
  let waiting = null;
  let restore = null;

  const shell = createShell({
    doc,
    strings,
    lang,
    style: appearanceStyle(config.appearance),
    logo: config.appearance && config.appearance.logo_url,
    onOpen,
    onHover: () => screenshots.enabled && chunk.prefetch(),
  });

  function onOpen() {
    if (!form) showStart();
    else shell.show(form.node, form.focus);
  }

  // A fresh form, or the sign-in prompt when the token requires a login we do not have.
  function showStart(error = '') {
    form = null;
    if (config.require_login && !session.get()) return showSignIn(error);
    shot = screenshots.enabled
      ? createScreenshotField({
          strings,
          checked: Boolean(screenshots.checked),
          chunk,
          panel: { root: shell.root, strings, ignore: shell.host, edit },
          announce: shell.announce,
        })
      : null;
    const current = session.get();
    form = createForm({
      strings,
      lang,
      needsSender,
      note: current && format(strings.signed_in_as, { name: current.name || current.email }),
      shot,
      onSubmit: submit,
    });
    form.prefill(visitor.identity);
    shell.show(form.node, form.focus);
    if (shot) shot.start();
    if (restore) {
      const { values, error: refusal } = restore;
      restore = null;
      form.prefill(values);
      if (refusal) showFailure(refusal);
    }
  }

  // The sign-in prompt, the popup and the contact's language come with the sign-in chunk.
  function showSignIn(error) {
    signin.load().then(
      (api) =>
        api.show(
          { win, base: snippet.base, config, session, shell, strings, lang, fetchFn, done },
          error,
        ),
      () => showMessage('', strings.err_generic),
    );
  }

  // Signed in: the form, in the contact's own language when it changed ({lang, strings}).
  function done(found) {
    if (found) ({ strings, lang } = found);
    if (found || !form) showStart();
  }

  // The chunk's annotation editor borrows the dialog body; Escape cancels it.
  async function edit(render) {
    const aborter = new AbortController();
    const container = doc.createElement('div');
    shell.show(container, null, () => aborter.abort());
    try {
      return await render(container, aborter.signal);
    } finally {
      shell.show(form.node);
    }
  }

  function showMessage(title, text) {
    form = null;
    const view = messageView({ title, text, button: strings.close, onClick: shell.close });
    shell.show(view.node, view.focus);
  }

  function showSent(result) {
    showMessage(strings.sent_title, format(strings.sent_body, { reference: result.reference }));
  }

  async function buildEntry(values) {
    const current = shot && shot.current();
    const screenshot = current && (await shot.encode(screenshots.max_bytes));
    const metadata = collectMetadata({
      win,
      errors: errorLog.list(),
      custom: visitor.custom,
      screenshot: current,
    });
    const signedIn = session.get();
    return createEntry({
      values,
      needsSender,
      session: signedIn && signedIn.session,
      metadata,
      screenshot,
      key: newIdempotencyKey(),
    });
  }

  async function submit() {
    const values = form.values();
    const fields = validateFields(values, { needsSender });
    if (Object.keys(fields).length) return form.showErrors({ general: 'err_form', fields });
    form.showErrors({});
    form.setBusy(true);
    shell.announce(strings.sending);
    let entry = null;
    try {
      entry = await buildEntry(values);
      const result = await api.submit(entryFormData(entry), entry.key);
      showSent(result);
      emit(result);
    } catch (error) {
      form.setBusy(false);
      if (entry && error.retryable) {
        queue.add(entry, error);
        waiting = { key: entry.key, form };
        // A disabled token may be enabled again: the report waits like an offline one.
        const said = error.status === 429 ? 'err_throttled' : 'queued';
        showMessage('', strings[error.code === 'token_disabled' ? 'queued_paused' : said]);
      } else {
        showFailure(error);
      }
    }
  }

  function showFailure(error) {
    const described = describeError(error, strings);
    // login_required, session_invalid, session_expired: sign in (again) first.
    if (/^(login|session)_/.test(error.code)) {
      restore = { values: form.values() };
      session.clear();
      return showStart(strings[described.general]);
    }
    form.showErrors(described);
    shell.announce(strings[described.general]);
  }

  return {
    open: shell.open,
    close: shell.close,
    prefill: (identity) => form && form.prefill(identity),
    /** A queued report went through: tell listeners, and the visitor if still waiting. */
    queuedSent(entry, result) {
      emit(result);
      if (waiting && waiting.key === entry.key) showSent(result);
    },
    /** A queued report was refused for good: put it back in the form with the reason. */
    queuedDropped(entry, error) {
      if (!waiting || waiting.key !== entry.key) {
        restore = { values: entry.fields, error };
        return;
      }
      form = waiting.form;
      shell.show(form.node, form.focus);
      showFailure(error);
    },
  };
}
