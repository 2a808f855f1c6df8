// Submissions that failed with a network error, a 5xx or a 429, kept in localStorage
// (`snagdesk:queue:<token>`) with their Idempotency-Key and retried with backoff: on the
// `online` event, on the next page load and on a timer. The server files a retried
// submission once because the key is the same.

const BASE_DELAY = 10 * 1000;
const MAX_DELAY = 10 * 60 * 1000;
// A report nobody could deliver for a week is stale; stop carrying it around.
const MAX_AGE = 7 * 24 * 60 * 60 * 1000;

/** Milliseconds before attempt number `attempts + 1`: exponential with jitter, or Retry-After. */
export function backoffDelay(attempts, retryAfterSeconds, random) {
  const exponential = Math.min(BASE_DELAY * 2 ** (attempts - 1), MAX_DELAY);
  return Math.max(retryAfterSeconds * 1000, Math.round(exponential * (0.5 + random() / 2)));
}

/**
 * A queue for one token. `send(entry)` resolves with the API answer or throws an ApiError;
 * `onSent(entry, result)` and `onDropped(entry, error)` report the outcome of retries.
 * Entries are {key, fields, screenshot (data URL or null), created, attempts, nextAt}.
 */
export function createQueue({
  storage,
  token,
  send,
  onSent,
  onDropped,
  now = Date.now,
  random = Math.random,
  setTimer = setTimeout,
  clearTimer = clearTimeout,
}) {
  const storageKey = `snagdesk:queue:${token}`;
  // Storage is the truth, re-read before every change so other tabs' entries survive;
  // memory takes over while storage is missing or full even without screenshots.
  let memory = null;
  let timer = null;
  let flushing = null;

  function read() {
    try {
      return memory || JSON.parse(storage.getItem(storageKey)) || [];
    } catch {
      return [];
    }
  }

  function write(entries) {
    // When full, the contract drops the screenshots first.
    for (const list of [entries, entries.map((entry) => ({ ...entry, screenshot: null }))]) {
      try {
        storage.setItem(storageKey, JSON.stringify(list));
        memory = null;
        return;
      } catch {
        // Try the lighter list, then fall back to memory.
      }
    }
    memory = entries;
  }

  function update(key, replacement) {
    const others = read().filter((entry) => entry.key !== key);
    write(replacement ? [...others, replacement] : others);
  }

  // One timer, for the entry due first; a delay already past runs at once.
  function schedule() {
    clearTimer(timer);
    const entries = read();
    if (entries.length)
      timer = setTimer(flush, Math.min(...entries.map((entry) => entry.nextAt)) - now());
  }

  async function attempt(entry) {
    try {
      const result = await send(entry);
      update(entry.key, null);
      onSent(entry, result);
    } catch (error) {
      if (error.retryable) {
        const attempts = entry.attempts + 1;
        update(entry.key, {
          ...entry,
          attempts,
          nextAt: now() + backoffDelay(attempts, error.retryAfter, random),
        });
      } else {
        update(entry.key, null);
        onDropped(entry, error);
      }
    }
  }

  async function run(force) {
    for (const entry of read()) {
      if (now() - entry.created > MAX_AGE) update(entry.key, null);
      else if (force || entry.nextAt <= now()) await attempt(entry);
    }
    schedule();
  }

  /** Send the entries that are due (all of them when `force`, e.g. back online). */
  function flush(force = false) {
    flushing =
      flushing ||
      run(force === true).finally(() => {
        flushing = null;
      });
    return flushing;
  }

  return {
    /** Keep a submission that just failed with the retryable `error` for later. */
    add(entry, error) {
      update(entry.key, {
        ...entry,
        created: now(),
        attempts: 1,
        nextAt: now() + backoffDelay(1, error.retryAfter, random),
      });
      schedule();
    },
    flush,
    entries: read,
  };
}
