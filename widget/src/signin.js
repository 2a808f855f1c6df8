// Entry of signin.js, the sign-in chunk: loaded only when a token that requires login has
// no session yet (most sites never need it, and the loader has no room for it). It shows
// "Sign in to continue", opens the popup, takes the session the popup posts and, when the
// contact saved a language of their own, loads and applies that language's strings as
// the loader loads the visitor's (loadStrings), before the widget shows its form.
import { loadStrings, sessionLanguage, withCustomTexts } from './i18n.js';
import { loginPopupUrl, readSessionMessage } from './session.js';
import { messageView } from './ui/views.js';

// What the latest show() was given; the one message listener reads it.
let current = null;

/**
 * The strings to show a contact who just signed in ({session, name, email, lang}): those of
 * their saved language when it is one of ours and not `lang`, else null (keep `lang`,
 * also when that language cannot be loaded: loadStrings then answers English).
 */
export async function contactStrings(signedIn, { base, lang, fetchFn, texts }) {
  const wanted = sessionLanguage(signedIn, lang);
  if (wanted === lang) return null;
  const loaded = await loadStrings({ base, lang: wanted, fetchFn }).catch(() => null);
  if (!loaded || loaded.lang !== wanted) return null;
  return { lang: wanted, strings: withCustomTexts(loaded.strings, texts) };
}

/**
 * Show the sign-in prompt in the dialog, `error` above it. `widget`: {win, base, config,
 * session, shell, strings, lang, fetchFn, done(found)}; `done` runs once a session has
 * arrived and is stored, with {lang, strings} when the language changed (the shell is
 * relabelled already), else null.
 */
function show(widget, error) {
  const { win, config, shell, strings } = widget;
  if (!current) win.addEventListener('message', receive);
  current = widget;
  const view = messageView({
    alert: error,
    text: strings.sign_in_intro,
    button: strings.sign_in,
    onClick() {
      const popup = win.open(
        loginPopupUrl(config.login_url, win.location.origin),
        'snagdesk-login',
        'width=480,height=640',
      );
      if (!popup) show(current, strings.popup_blocked);
    },
  });
  shell.show(view.node, view.focus);
}

async function receive(event) {
  const widget = current;
  const signedIn = readSessionMessage(event, new URL(widget.base).origin);
  if (!signedIn) return;
  widget.session.set(signedIn);
  const found = await contactStrings(signedIn, { ...widget, texts: widget.config.texts });
  if (found) widget.shell.label(found.strings, found.lang);
  widget.done(found);
}

window.__snagdeskSignIn = { show };
