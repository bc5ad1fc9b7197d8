import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { suite, test } from 'mocha';
import { isTokenError, TokenError, tokenErrorCodes } from '../../../src/core/errors';
import { errorCodeForHttpStatus, parseKubeStatus } from '../../../src/core/kubernetes/kubeStatus';
import { describeTokenRequestFailure } from '../../../src/core/tokenRequest/tokenRequestFailure';
import { fakeJwt } from '../../fixtures/syntheticTokens';
import { podBoundJwt } from '../../fixtures/tokenShapes';

suite('TokenError', () => {
  test('carries code, status and hint', () => {
    const status = { code: 404, reason: 'NotFound', message: 'serviceaccounts "ci-bot" not found', details: { name: 'ci-bot', kind: 'serviceaccounts' } };
    const e = new TokenError('ERR_NOT_FOUND', 'Service account not found', { status, hint: 'Refresh the tree.' });
    assert.equal(e.code, 'ERR_NOT_FOUND');
    assert.equal(e.message, 'Service account not found');
    assert.equal(e.name, 'TokenError');
    assert.deepEqual(e.status, status);
    assert.equal(e.hint, 'Refresh the tree.');
    assert.ok(e instanceof Error);
  });

  test('redacts tokens from message and hint', () => {
    const jwt = fakeJwt({ alg: 'RS256' }, { sub: 'x' });
    const e = new TokenError('ERR_UNAUTHORIZED', `rejected ${jwt}`, { hint: `Authorization: Bearer ${jwt}` });
    assert.equal(e.message, 'rejected [REDACTED]');
    assert.equal(e.hint, 'Authorization: Bearer [REDACTED]');
    assert.ok(!String(e.stack).includes(jwt));
  });

  suite('redacts everything a user or the log may see, at creation', () => {
    const opaque = 'Zq8xV3nT0pLmW7rBc2Yd';
    const signature = podBoundJwt.split('.')[2]!;
    const secrets = [signature, opaque];
    const leaks = (text: string | undefined): string[] => secrets.filter((secret) => text?.includes(secret) === true);
    const serverStatus = () => ({
      code: 400,
      reason: 'BadRequest',
      message: `invalid bearer token ${podBoundJwt}`,
      details: { name: podBoundJwt, kind: 'TokenReview', causes: [{ reason: 'FieldValueInvalid', message: `{"token":"${opaque}"}`, field: 'spec.token' }] },
    });

    test('the server Status: message, details and causes', () => {
      const status = serverStatus();
      const e = new TokenError('ERR_BAD_REQUEST', 'The API server rejected the request.', { status });
      assert.deepEqual(leaks(e.status?.message), []);
      assert.equal(e.status?.message, 'invalid bearer token [REDACTED]');
      assert.equal(e.status?.details?.name, '[REDACTED]');
      assert.equal(e.status?.details?.causes?.[0]?.message, '{"token":"[REDACTED]"}');
      assert.deepEqual(leaks(JSON.stringify(e.status)), []);
      // What is not a secret stays for branching on.
      assert.deepEqual([e.status?.code, e.status?.reason, e.status?.details?.kind, e.status?.details?.causes?.[0]?.field], [400, 'BadRequest', 'TokenReview', 'spec.token']);
      assert.equal(status.message, `invalid bearer token ${podBoundJwt}`, 'the caller\'s object is not modified');
    });

    test('the notification built from a failed TokenRequest', () => {
      const e = new TokenError('ERR_BAD_REQUEST', serverStatus().message, { status: serverStatus() });
      const failure = describeTokenRequestFailure(e, { options: { namespace: 'build', serviceAccount: 'ci-bot', audiences: [] }, contextName: 'dev' });
      assert.deepEqual(leaks(failure.message), []);
      assert.ok(failure.message.includes('[REDACTED]'));
    });

    test('the cause, its stack, own properties and nested causes', () => {
      const root = new Error(`upstream answered {"status":{"token":"${opaque}"}}`);
      const cause = Object.assign(new Error(`request with Authorization: Bearer ${podBoundJwt} failed`, { cause: root }), { code: 'ECONNRESET', body: `token=${opaque}`, headers: { authorization: `Bearer ${opaque}` } });
      const e = new TokenError('ERR_UNREACHABLE', 'Cannot reach the API server.', { cause });
      const redacted = e.cause as Error & { code: string; body: string; headers: Record<string, string> };
      assert.ok(redacted instanceof Error);
      assert.equal(redacted.code, 'ECONNRESET');
      assert.deepEqual(leaks(redacted.message), []);
      assert.deepEqual(leaks(redacted.stack), []);
      assert.deepEqual(leaks(redacted.body), []);
      assert.equal(redacted.headers.authorization, '[REDACTED]');
      assert.deepEqual(leaks((redacted.cause as Error).message), []);
      assert.deepEqual(leaks(inspect(e, { depth: 10 })), [], 'nothing in the error, as Node prints it');
      assert.ok(cause.message.includes(podBoundJwt), 'the original cause is not modified');
    });

    test('a plain-object or string cause', () => {
      assert.deepEqual(new TokenError('ERR_SERVER', 'x', { cause: { token: 'short', note: `Bearer ${opaque}` } }).cause, { token: '[REDACTED]', note: 'Bearer [REDACTED]' });
      assert.equal(new TokenError('ERR_SERVER', 'x', { cause: `token=${opaque}` }).cause, 'token=[REDACTED]');
    });

    test('message, hint and stack', () => {
      const e = new TokenError('ERR_UNAUTHORIZED', `rejected token: ${opaque}`, { hint: `retry with --token=${opaque}` });
      assert.deepEqual([...leaks(e.message), ...leaks(e.hint), ...leaks(e.stack), ...leaks(inspect(e))], []);
    });
  });

  test('keeps the cause', () => {
    const cause = new Error('socket hang up');
    assert.equal(new TokenError('ERR_UNREACHABLE', 'x', { cause }).cause, cause);
    assert.equal(Object.hasOwn(new TokenError('ERR_UNREACHABLE', 'x'), 'cause'), false);
  });
});

suite('isTokenError', () => {
  test('accepts TokenError and look-alikes from another bundle', () => {
    assert.equal(isTokenError(new TokenError('ERR_TIMEOUT', 'slow')), true);
    class OtherBundleTokenError extends Error {
      readonly code = 'ERR_FORBIDDEN';
    }
    assert.equal(isTokenError(new OtherBundleTokenError('no')), true);
    assert.equal(isTokenError({ code: 'ERR_CANCELLED', message: 'cancelled' }), true);
  });

  test('rejects everything else', () => {
    for (const value of [undefined, null, 'ERR_TIMEOUT', 42, new Error('x'), { code: 'ERR_INVALID_ARG_TYPE', message: 'node error' },
      { code: 'ERR_TIMEOUT' }, { code: 7, message: 'x' }]) {
      assert.equal(isTokenError(value), false, JSON.stringify(value));
    }
  });

  test('every code is accepted', () => {
    assert.equal(tokenErrorCodes.length, 20);
    for (const code of tokenErrorCodes) {
      assert.equal(isTokenError(new TokenError(code, code)), true);
    }
  });
});

suite('parseKubeStatus', () => {
  const invalid = {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    reason: 'Invalid',
    details: { group: 'authentication.k8s.io', kind: 'TokenRequest', causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: 60: may not specify a duration less than 10 minutes', field: 'spec.expirationSeconds' }] },
    code: 422,
  };

  test('reads a 422 Status object and JSON text alike', () => {
    const expected = {
      code: 422, reason: 'Invalid', message: invalid.message,
      details: { group: 'authentication.k8s.io', kind: 'TokenRequest', causes: invalid.details.causes },
    };
    assert.deepEqual(parseKubeStatus(invalid), expected);
    assert.deepEqual(parseKubeStatus(JSON.stringify(invalid)), expected);
  });

  test('drops ill-typed fields', () => {
    assert.deepEqual(parseKubeStatus({ kind: 'Status', code: '404', message: 7, details: { name: 3, causes: [null, { field: 1, message: 'm' }], retryAfterSeconds: 2 } }),
      { details: { causes: [{ message: 'm' }], retryAfterSeconds: 2 } });
  });

  test('returns undefined for non-Status bodies', () => {
    for (const body of ['<html>bad gateway</html>', '{"kind":"TokenRequest"}', null, 404, [], { kind: 'status' }]) {
      assert.equal(parseKubeStatus(body), undefined, JSON.stringify(body));
    }
  });
});

suite('errorCodeForHttpStatus', () => {
  test('maps API server statuses', () => {
    const table: Array<[number, string]> = [[400, 'ERR_BAD_REQUEST'], [401, 'ERR_UNAUTHORIZED'], [403, 'ERR_FORBIDDEN'], [404, 'ERR_NOT_FOUND'],
      [409, 'ERR_CONFLICT'], [410, 'ERR_EXPIRED'], [422, 'ERR_INVALID'], [429, 'ERR_TOO_MANY_REQUESTS'], [500, 'ERR_SERVER'], [503, 'ERR_SERVER'],
      [504, 'ERR_TIMEOUT'], [405, 'ERR_BAD_REQUEST']];
    for (const [status, code] of table) {
      assert.equal(errorCodeForHttpStatus(status), code, String(status));
    }
  });
});
