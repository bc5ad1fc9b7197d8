import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import type { TokenError } from '../../../src/core/errors';
import { credentialError, describePermission, errorFromNetwork, errorFromResponse, type RequestDescription } from '../../../src/kube/kubeErrors';

const conn = { server: 'https://127.0.0.1:6443', contextName: 'limited', userName: 'limited-user' };
const createToken: RequestDescription = {
  method: 'POST', path: '/api/v1/namespaces/build/serviceaccounts/ci-bot/token', verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'build', name: 'ci-bot',
};
const listAll: RequestDescription = { method: 'GET', path: '/api/v1/serviceaccounts', verb: 'list', resource: 'serviceaccounts' };

function status(code: number, reason: string, message: string, details?: object): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
}

suite('kube/kubeErrors: Status and failures → TokenError', () => {
  test('403 keeps the server text and names the permission', () => {
    const msg = 'serviceaccounts "ci-bot" is forbidden: User "limited-user" cannot create resource "serviceaccounts/token" in API group "" in the namespace "build"';
    const e = errorFromResponse(403, {}, status(403, 'Forbidden', msg, { name: 'ci-bot', kind: 'serviceaccounts' }), createToken, conn);
    assert.equal(e.code, 'ERR_FORBIDDEN');
    assert.equal(e.message, msg);
    assert.equal(e.hint, 'User "limited-user" needs permission: create on serviceaccounts/token in namespace "build". The edit and admin roles grant it; view does not.');
    assert.deepEqual(e.status, { code: 403, reason: 'Forbidden', message: msg, details: { name: 'ci-bot', kind: 'serviceaccounts' } });
    const all = errorFromResponse(403, {}, status(403, 'Forbidden', 'serviceaccounts is forbidden: … at the cluster scope'), listAll, conn);
    assert.equal(all.hint, 'User "limited-user" needs permission: list on serviceaccounts at the cluster scope. List per namespace instead.');
  });

  test('403 on the OIDC discovery paths explains system:service-account-issuer-discovery', () => {
    const e = errorFromResponse(403, {}, status(403, 'Forbidden', 'forbidden: User "limited-user" cannot get path "/openid/v1/jwks"'), { method: 'GET', path: '/openid/v1/jwks', verb: 'get' }, conn);
    assert.equal(e.code, 'ERR_FORBIDDEN');
    assert.match(e.hint ?? '', /system:service-account-issuer-discovery/);
    assert.equal(describePermission({ method: 'GET', path: '/openid/v1/jwks', verb: 'get' }), 'get on path "/openid/v1/jwks"');
  });

  test('401 for the kubeconfig user vs for a given token', () => {
    const body = status(401, 'Unauthorized', 'Unauthorized');
    const e = errorFromResponse(401, {}, body, listAll, conn);
    assert.equal(e.code, 'ERR_UNAUTHORIZED');
    assert.equal(e.message, 'The API server at https://127.0.0.1:6443 rejected the credentials of user "limited-user" in context "limited" (401 Unauthorized).');
    assert.equal(e.status?.reason, 'Unauthorized');
    const t = errorFromResponse(401, {}, body, { ...listAll, asToken: true }, conn);
    assert.equal(t.message, 'The API server rejected the token (401 Unauthorized) for GET /api/v1/serviceaccounts.');
  });

  test('404, 409, 400, 410 keep the server message', () => {
    const nf = errorFromResponse(404, {}, status(404, 'NotFound', 'pods "runner-7" not found', { name: 'runner-7', kind: 'pods' }), createToken, conn);
    assert.equal(nf.code, 'ERR_NOT_FOUND');
    assert.equal(nf.message, 'pods "runner-7" not found');
    assert.equal(nf.hint, 'The pod named in the request does not exist (any more); pick it again.');
    const ns = errorFromResponse(404, {}, status(404, 'NotFound', 'namespaces "nope" not found', { name: 'nope', kind: 'namespaces' }), createToken, conn);
    assert.equal(ns.hint, 'The namespace does not exist (any more); refresh the view.');
    const conflict = errorFromResponse(409, {}, status(409, 'Conflict', 'Operation cannot be fulfilled on Pod "runner-7": the UID in the bound object reference (x) does not match the UID in record. The object might have been deleted and then recreated'), createToken, conn);
    assert.equal(conflict.code, 'ERR_CONFLICT');
    assert.equal(conflict.hint, 'The bound object was recreated with a new uid; pick it again.');
    const bad = errorFromResponse(400, {}, status(400, 'BadRequest', 'cannot bind token for serviceaccount "ci-bot" to pod running with different serviceaccount name.'), createToken, conn);
    assert.equal(bad.code, 'ERR_BAD_REQUEST');
    assert.equal(bad.message, 'cannot bind token for serviceaccount "ci-bot" to pod running with different serviceaccount name.');
    const gone = errorFromResponse(410, {}, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'), listAll, conn);
    assert.equal(gone.code, 'ERR_EXPIRED');
    assert.match(gone.message, /^The provided continue parameter is too old/);
  });

  test('422 keeps field causes', () => {
    const msg = 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes';
    const details = { group: 'authentication.k8s.io', kind: 'TokenRequest', causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: 60: may not specify a duration less than 10 minutes', field: 'spec.expirationSeconds' }] };
    const e = errorFromResponse(422, {}, status(422, 'Invalid', msg, details), createToken, conn);
    assert.equal(e.code, 'ERR_INVALID');
    assert.equal(e.message, msg);
    assert.deepEqual(e.status?.details?.causes, details.causes);
    assert.equal(e.hint, 'Check spec.expirationSeconds.');
  });

  test('429 with Retry-After (header wins, also without a Status body)', () => {
    const e = errorFromResponse(429, { 'retry-after': '7' }, status(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: 1 }), listAll, conn);
    assert.equal(e.code, 'ERR_TOO_MANY_REQUESTS');
    assert.equal(e.hint, 'Retry after 7 s.');
    assert.equal(e.status?.details?.retryAfterSeconds, 1); // the body's own value is kept as sent
    const bare = errorFromResponse(429, { 'retry-after': '3' }, '', listAll, conn);
    assert.equal(bare.status?.details?.retryAfterSeconds, 3);
    assert.equal(bare.message, 'The API server is throttling requests (429 Too Many Requests).');
  });

  test('5xx and non-Status bodies', () => {
    const e = errorFromResponse(500, {}, status(500, 'InternalError', 'Internal error occurred: error validating audiences'), createToken, conn);
    assert.equal(e.code, 'ERR_SERVER');
    assert.equal(e.message, 'Internal error occurred: error validating audiences');
    const html = errorFromResponse(502, {}, '<html>Bad Gateway</html>', listAll, conn);
    assert.equal(html.code, 'ERR_SERVER');
    assert.equal(html.status, undefined);
    assert.equal(html.message, 'The API server at https://127.0.0.1:6443 failed with HTTP 502 for GET /api/v1/serviceaccounts.');
  });

  test('server messages are redacted', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const e = errorFromResponse(400, {}, status(400, 'BadRequest', `bad token ${jwt}`), createToken, conn);
    assert.equal(e.message, 'bad token [REDACTED]');
    assert.equal(e.status?.message, 'bad token [REDACTED]', 'the Status a notification may quote is redacted too');
  });

  test('network failures: unreachable, TLS, pass-through of TokenErrors', () => {
    const refused = errorFromNetwork(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), listAll, conn);
    assert.equal(refused.code, 'ERR_UNREACHABLE');
    assert.equal(refused.message, 'Cannot reach the API server at https://127.0.0.1:6443: connection refused (ECONNREFUSED).');
    const dns = errorFromNetwork(Object.assign(new Error('getaddrinfo ENOTFOUND nope.invalid'), { code: 'ENOTFOUND' }), listAll, conn);
    assert.equal(dns.code, 'ERR_UNREACHABLE');
    const self = errorFromNetwork(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), listAll, conn);
    assert.equal(self.code, 'ERR_TLS');
    assert.equal(self.message, 'TLS connection to https://127.0.0.1:6443 failed: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT).');
    const host = errorFromNetwork(Object.assign(new Error("Hostname/IP does not match certificate's altnames"), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), listAll, conn);
    assert.equal(host.code, 'ERR_TLS');
    assert.match(host.hint ?? '', /tls-server-name/);
    const passthrough = errorFromNetwork(refused, listAll, conn);
    assert.equal(passthrough, refused);
  });

  test('credential plugin failures carry stderr', () => {
    const e = credentialError(new Error('error: you must be logged in to the server\n'), conn, { exec: { command: 'kubelogin' } }) as TokenError;
    assert.equal(e.code, 'ERR_EXEC_PLUGIN');
    assert.equal(e.message, 'The credential plugin "kubelogin" of user "limited-user" failed: error: you must be logged in to the server');
    const enoent = credentialError(Object.assign(new Error('spawn nope ENOENT'), { code: 'ENOENT' }), conn, { exec: { command: 'nope' } });
    assert.equal(enoent.message, 'The credential plugin "nope" of user "limited-user" failed: command not found (nope)');
    const oidc = credentialError(new Error('refresh failed'), conn, { authProvider: { name: 'oidc' } });
    assert.equal(oidc.code, 'ERR_UNAUTHORIZED');
  });
});
