import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../src/api.js';
import { describeError, validateFields } from '../src/errors.js';
import { en } from '../src/i18n.js';

const CONTRACT_CODES = [
  'token_invalid',
  'token_disabled',
  'origin_not_allowed',
  'subject_required',
  'subject_too_long',
  'message_required',
  'message_too_long',
  'sender_required',
  'email_invalid',
  'metadata_invalid',
  'screenshot_invalid',
  'screenshot_too_large',
  'login_required',
  'session_invalid',
  'session_expired',
  'idempotency_conflict',
  'throttled',
];

const apiError = (code, status = 400, fields = {}) => new ApiError({ status, code, fields });

test('every contract error code has its own translated message', () => {
  for (const code of CONTRACT_CODES) {
    const { general, fields } = describeError(apiError(code), en);
    const keys = [general, ...Object.values(fields)];
    for (const key of keys) assert.ok(en[key], `${code} -> ${key}`);
    assert.notEqual(Object.values(fields)[0] || general, 'err_generic', code);
  }
});

test('codes that are not about one field get a general message', () => {
  assert.deepEqual(describeError(apiError('origin_not_allowed', 403), en), {
    general: 'err_origin_not_allowed',
    fields: {},
  });
  assert.deepEqual(describeError(apiError('token_disabled', 401), en), {
    general: 'err_token_invalid',
    fields: {},
  });
  assert.deepEqual(describeError(apiError('session_expired', 401), en), {
    general: 'err_session_invalid',
    fields: {},
  });
});

test('field codes put their message next to the field', () => {
  assert.deepEqual(describeError(apiError('subject_too_long'), en), {
    general: 'err_form',
    fields: { subject: 'err_subject_too_long' },
  });
  assert.deepEqual(describeError(apiError('screenshot_too_large', 413), en).fields, {
    screenshot: 'err_screenshot_too_large',
  });
});

test('sender_required marks only the fields the server names', () => {
  assert.deepEqual(
    describeError(apiError('sender_required', 400, { email: 'required' }), en).fields,
    {
      email: 'err_email_required',
    },
  );
});

test('sender_required without field names marks name and email', () => {
  assert.deepEqual(Object.keys(describeError(apiError('sender_required'), en).fields), [
    'name',
    'email',
  ]);
});

test('unknown codes and network failures get the generic message', () => {
  assert.deepEqual(describeError(apiError('teapot', 418), en), {
    general: 'err_generic',
    fields: {},
  });
  assert.deepEqual(describeError(new TypeError('boom'), en), {
    general: 'err_generic',
    fields: {},
  });
});

test('only network errors, 5xx, 429 and a disabled token are retryable', () => {
  assert.ok(apiError('network', 0).retryable);
  assert.ok(apiError('server_error', 503).retryable);
  assert.ok(apiError('throttled', 429).retryable);
  assert.ok(apiError('token_disabled', 401).retryable);
  assert.ok(!apiError('subject_required', 400).retryable);
  assert.ok(!apiError('token_invalid', 401).retryable);
});

const valid = {
  subject: 'Broken',
  message: 'The cart is empty',
  name: 'Ada',
  email: 'ada@client.example',
};

test('valid values pass the checks', () => {
  assert.deepEqual(validateFields(valid, { needsSender: true }), {});
});

test('blank subject and message are caught before sending', () => {
  assert.deepEqual(
    validateFields({ ...valid, subject: ' ', message: '\n' }, { needsSender: false }),
    {
      subject: 'err_subject_required',
      message: 'err_message_required',
    },
  );
});

test('sender fields are checked only when the form asks for them', () => {
  const noSender = { ...valid, name: '', email: 'not-an-address' };
  assert.deepEqual(validateFields(noSender, { needsSender: false }), {});
  assert.deepEqual(validateFields(noSender, { needsSender: true }), {
    name: 'err_name_required',
    email: 'err_email_invalid',
  });
});
