import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import type { FailureInput } from '../../../../src/core/tokenRequest/tokenRequestFailure';
import { describeTokenRequestFailure } from '../../../../src/core/tokenRequest/tokenRequestFailure';
import type { TokenRequestOptions } from '../../../../src/core/tokenRequest/tokenRequest';

const options: TokenRequestOptions = { namespace: 'build', serviceAccount: 'ci-bot', audiences: [], boundObject: { kind: 'Pod', name: 'runner-7', uid: 'u1' } };
const ctx = { options, contextName: 'sandbox-admin', server: 'https://127.0.0.1:1', userName: 'alice' };

function status(code: FailureInput['code'], http: number, reason: string, message: string, details?: Record<string, unknown>): FailureInput {
  return { code, message, status: { code: http, reason, message, ...(details !== undefined ? { details } : {}) } };
}

suite('describeTokenRequestFailure', () => {
  test('service account not found', () => {
    const f = describeTokenRequestFailure(status('ERR_NOT_FOUND', 404, 'NotFound', 'serviceaccounts "ci-bot" not found', { name: 'ci-bot', kind: 'serviceaccounts' }), ctx);
    assert.equal(f.kind, 'serviceAccountNotFound');
    assert.equal(f.resumeAt, 'review');
    assert.equal(f.message, 'The service account "ci-bot" in namespace "build" was not found in context "sandbox-admin" (serviceaccounts "ci-bot" not found). It may have been deleted; refresh the Service Accounts view.');
  });

  test('namespace not found', () => {
    const f = describeTokenRequestFailure(status('ERR_NOT_FOUND', 404, 'NotFound', 'namespaces "build" not found', { name: 'build', kind: 'namespaces' }), ctx);
    assert.equal(f.kind, 'namespaceNotFound');
  });

  test('bound object not found offers to pick again', () => {
    const f = describeTokenRequestFailure(status('ERR_NOT_FOUND', 404, 'NotFound', 'pods "runner-7" not found', { name: 'runner-7', kind: 'pods' }), ctx);
    assert.deepEqual([f.kind, f.resumeAt, f.pickAgain], ['boundObjectNotFound', 'bind', true]);
    assert.equal(f.message, 'Pod "runner-7" no longer exists (pods "runner-7" not found). A token can only be bound to a live object: pick another one, or bind to nothing.');
  });

  test('bound object uid mismatch vs service account uid mismatch', () => {
    const bound = describeTokenRequestFailure(status('ERR_CONFLICT', 409, 'Conflict', 'Operation cannot be fulfilled on Pod "runner-7": the UID in the bound object reference (u1) does not match the UID in record. The object might have been deleted and then recreated', { name: 'runner-7', kind: 'Pod' }), ctx);
    assert.deepEqual([bound.kind, bound.resumeAt, bound.pickAgain], ['boundObjectUidMismatch', 'bind', true]);
    const saUid = describeTokenRequestFailure(status('ERR_CONFLICT', 409, 'Conflict', 'Operation cannot be fulfilled on TokenRequest.authentication.k8s.io "ci-bot": the UID in the token request (x) does not match the UID of the service account (y)'), ctx);
    assert.equal(saUid.kind, 'serviceAccountUidMismatch');
  });

  test('pod under another service account and node binding disabled', () => {
    const pod = describeTokenRequestFailure(status('ERR_BAD_REQUEST', 400, 'BadRequest', 'cannot bind token for serviceaccount "ci-bot" to pod running with different serviceaccount name.'), ctx);
    assert.deepEqual([pod.kind, pod.resumeAt], ['podUnderOtherServiceAccount', 'bind']);
    assert.match(pod.message, /Pick a pod whose spec\.serviceAccountName is "ci-bot"\.$/);
    const node = describeTokenRequestFailure(status('ERR_BAD_REQUEST', 400, 'BadRequest', 'cannot bind token to a Node object as the "ServiceAccountTokenNodeBinding" feature-gate is disabled'), ctx);
    assert.equal(node.kind, 'nodeBindingDisabled');
    assert.match(node.message, /ServiceAccountTokenNodeBinding feature gate is disabled/);
  });

  test('expiration invalid resumes at the lifetime step', () => {
    const f = describeTokenRequestFailure(status('ERR_INVALID', 422, 'Invalid', 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes', { group: 'authentication.k8s.io', kind: 'TokenRequest', causes: [{ reason: 'FieldValueInvalid', field: 'spec.expirationSeconds', message: 'Invalid value: 60: ...' }] }), ctx);
    assert.deepEqual([f.kind, f.resumeAt], ['expirationInvalid', 'lifetime']);
  });

  test('forbidden names the permission', () => {
    const f = describeTokenRequestFailure(status('ERR_FORBIDDEN', 403, 'Forbidden', 'serviceaccounts "ci-bot" is forbidden: User "bob" cannot create resource "serviceaccounts/token" in API group "" in the namespace "build"', { name: 'ci-bot', kind: 'serviceaccounts' }), ctx);
    assert.equal(f.kind, 'forbidden');
    assert.equal(f.suggestSwitchContext, true);
    assert.match(f.message, /^User "alice" \(context "sandbox-admin"\) may not request tokens for the service account "ci-bot" in namespace "build"\. Requesting a token needs permission to create serviceaccounts\/token/);
  });

  test('unauthorized, unreachable, timeout, cancelled', () => {
    assert.equal(describeTokenRequestFailure({ code: 'ERR_UNAUTHORIZED', message: 'Unauthorized' }, ctx).kind, 'unauthorized');
    const unreachable = describeTokenRequestFailure({ code: 'ERR_UNREACHABLE', message: 'connect ECONNREFUSED 127.0.0.1:1' }, ctx);
    assert.deepEqual([unreachable.kind, unreachable.retryable], ['unreachable', true]);
    assert.equal(unreachable.message, 'Cannot reach the API server of context "sandbox-admin" at https://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1');
    assert.equal(describeTokenRequestFailure({ code: 'ERR_TIMEOUT', message: 'no answer within 30 s' }, ctx).kind, 'timeout');
    assert.equal(describeTokenRequestFailure({ code: 'ERR_CANCELLED', message: 'cancelled' }, ctx).kind, 'cancelled');
  });
});
