// The widget session from the sign-in popup (docs/widget-api.md, "Require login"): only
// a message from the Snagdesk origin counts, and the session lives in memory and in
// sessionStorage, so it ends with the tab and never becomes a third-party cookie.

/** The popup URL, built exactly as the contract says (login_url already has ?token=). */
export function loginPopupUrl(loginUrl, pageOrigin) {
  return `${loginUrl}&origin=${encodeURIComponent(pageOrigin)}`;
}

/**
 * {session, name, email, lang} from a `message` event, or null for anything else; `lang`
 * is the contact's saved language (a BCP 47 tag of ours), empty when they chose none.
 */
export function readSessionMessage(event, snagdeskOrigin) {
  const data = event.origin === snagdeskOrigin ? event.data : null;
  if (
    !data ||
    data.type !== 'snagdesk:session' ||
    typeof data.session !== 'string' ||
    !data.session
  )
    return null;
  return {
    session: data.session,
    name: String(data.name || ''),
    email: String(data.email || ''),
    lang: String(data.lang || ''),
  };
}

/** The current session for `token`: get() / set(value) / clear(), in memory and `storage`. */
export function createSessionStore(storage, token) {
  const key = `snagdesk:session:${token}`;
  let current = null;
  try {
    current = JSON.parse(storage.getItem(key));
  } catch {
    // No storage (sandboxed frame, privacy mode) or garbage in it: start signed out.
  }
  const persist = (fn) => {
    try {
      fn();
    } catch {
      // The in-memory copy still works for this page.
    }
  };
  return {
    get: () => current,
    set(value) {
      current = value;
      persist(() => storage.setItem(key, JSON.stringify(value)));
    },
    clear() {
      current = null;
      persist(() => storage.removeItem(key));
    },
  };
}
