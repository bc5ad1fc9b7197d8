import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { TokenError } from '../../../../src/core/errors';
import { renewalRequest, tokenBinding } from '../../../../src/core/expiry/renewal';
import { isBoundObjectGone, isTransientRenewalError, nextRetryAt, retryDelayMs } from '../../../../src/core/expiry/renewalPolicy';
import { podBoundClaims } from '../../../fixtures/syntheticTokens';

suite('renewalPolicy', () => {
  test('backoff doubles from 30 s and caps at 5 min', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 50].map(retryDelayMs), [30_000, 60_000, 120_000, 240_000, 300_000, 300_000, 300_000]);
  });

  test('retries stop at expiry and never land after it', () => {
    assert.equal(nextRetryAt(1000, 1, 100_000), 31_000);
    assert.equal(nextRetryAt(90_000, 1, 100_000), 100_000);
    assert.equal(nextRetryAt(100_000, 1, 100_000), undefined);
  });

  test('transient vs permanent failures', () => {
    for (const code of ['ERR_UNREACHABLE', 'ERR_TIMEOUT', 'ERR_TOO_MANY_REQUESTS', 'ERR_SERVER']) {
      assert.equal(isTransientRenewalError(code), true, code);
    }
    for (const code of ['ERR_NOT_FOUND', 'ERR_CONFLICT', 'ERR_FORBIDDEN', 'ERR_INVALID', undefined]) {
      assert.equal(isTransientRenewalError(code), false, String(code));
    }
  });

  test('bound object gone: 404 on the object, or a 409 uid mismatch', () => {
    const pod = { kind: 'Pod', name: 'runner-7' };
    const notFound = new TokenError('ERR_NOT_FOUND', 'pods "runner-7" not found', { status: { code: 404, reason: 'NotFound', details: { name: 'runner-7', kind: 'pods' } } });
    assert.equal(isBoundObjectGone(notFound, pod), true);
    const saMissing = new TokenError('ERR_NOT_FOUND', 'serviceaccounts "ci-bot" not found', { status: { code: 404, details: { name: 'ci-bot', kind: 'serviceaccounts' } } });
    assert.equal(isBoundObjectGone(saMissing, pod), false);
    const conflict = new TokenError('ERR_CONFLICT', 'Operation cannot be fulfilled on Pod "runner-7": the UID…', { status: { code: 409, details: { name: 'runner-7', kind: 'Pod' } } });
    assert.equal(isBoundObjectGone(conflict, pod), true);
    assert.equal(isBoundObjectGone(conflict, undefined), false);
    assert.equal(isBoundObjectGone(new TokenError('ERR_UNREACHABLE', 'down'), pod), false);
  });

  test('renewal pins the bound object uid from the token when the request did not', () => {
    const request = { namespace: 'build', serviceAccount: 'ci-bot', audiences: ['a'], expirationSeconds: 3600, boundObject: { kind: 'Pod' as const, name: 'runner-7' } };
    const binding = tokenBinding(podBoundClaims());
    assert.deepEqual(binding, { kind: 'Pod', name: 'runner-7', uid: '00000000-0000-4000-8000-0000000000p7' });
    assert.deepEqual(renewalRequest(request, binding), { ...request, boundObject: { kind: 'Pod', name: 'runner-7', uid: '00000000-0000-4000-8000-0000000000p7' } });
    // An explicit uid in the request wins; a binding for another object is ignored; unbound stays unbound.
    const pinned = { ...request, boundObject: { kind: 'Pod' as const, name: 'runner-7', uid: 'mine' } };
    assert.equal(renewalRequest(pinned, binding), pinned);
    assert.equal(renewalRequest(request, { kind: 'Pod', name: 'other', uid: 'x' }), request);
    const unbound = { namespace: 'build', serviceAccount: 'ci-bot', audiences: [] };
    assert.equal(renewalRequest(unbound, binding), unbound);
    assert.equal(tokenBinding({ sub: 'x' }), undefined);
  });
});
