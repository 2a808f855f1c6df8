// The widget API client (docs/widget-api.md): the token travels as a query parameter,
// no cookies are ever sent, and every failure becomes an ApiError with the contract code.

export class ApiError extends Error {
  /** `message` is the server's, for the site owner (e.g. which origin to allow). */
  constructor({ status, code, message, fields = {}, retryAfter = 0 }) {
    super(message);
    Object.assign(this, { status, code, fields, retryAfter });
  }

  /**
   * Network errors, 5xx, 429 and a disabled token (staff may turn it on again) may
   * succeed later; every other answer is final.
   */
  get retryable() {
    return (
      this.status === 0 ||
      this.status === 429 ||
      this.status >= 500 ||
      this.code === 'token_disabled'
    );
  }
}

/** The console line when the widget stays off: the code, and what the server said. */
export const disabledNotice = (error) =>
  `Snagdesk widget disabled: ${error.code || error}${error.code && error.message ? `. ${error.message}` : ''}`;

async function request(fetchFn, url, init) {
  let response;
  try {
    response = await fetchFn(url, { ...init, credentials: 'omit' });
  } catch {
    throw new ApiError({ status: 0, code: 'network' });
  }
  const body = await response.json().catch(() => ({}));
  if (response.ok) return body;
  throw new ApiError({
    status: response.status,
    code: body.code || `http_${response.status}`,
    message: body.message,
    fields: body.fields,
    retryAfter: Number(response.headers.get('Retry-After')) || 0,
  });
}

/** An API client for one token; `base` is the Snagdesk URL the loader came from. */
export function createApi({ base, token, fetchFn }) {
  const url = (path) => `${base}/api/widget/v1/${path}?token=${encodeURIComponent(token)}`;
  return {
    config: () => request(fetchFn, url('config'), {}),
    /** POST a FormData; resolves with {number, reference}. */
    submit: (body, idempotencyKey) =>
      request(fetchFn, url('submissions'), {
        method: 'POST',
        headers: { 'Idempotency-Key': idempotencyKey },
        body,
      }),
  };
}
