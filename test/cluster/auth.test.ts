// Authentication, RBAC 403 texts, TokenReview, SelfSubjectReview, SelfSubjectRulesReview, OIDC discovery.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { clusterKinds, eventually, startCluster, type TestCluster } from './clusters';
import { call, decodeJwt, jwkSet, statusBody, tokenRequestPath as tr } from './helpers';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';

async function mint(sb: TestCluster | Sandbox, ns: string, sa: string, spec: Record<string, unknown> = {}): Promise<string> {
  const r = await call(sb, tr(ns, sa), { body: { spec } });
  assert.equal(r.status, 201, r.text);
  return r.json.status.token;
}

function janeToken(sb: TestCluster): string {
  // the limited user's bearer token lives in the kubeconfig
  const cfg = JSON.parse(readFileSync(sb.kubeconfigPath, 'utf8'));
  return cfg.users.find((u: any) => u.name === 'jane').user.token;
}

for (const kind of clusterKinds) {
  suite(`${kind}: authentication and authorization`, () => {
    let sb: TestCluster;
    suiteSetup(async () => {
      sb = await startCluster(kind);
    });
    suiteTeardown(async () => sb?.close());

    test('client certificate user (CN/O) and static admin token', async () => {
      const r = await call(sb, '/apis/authentication.k8s.io/v1/selfsubjectreviews', { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, cert: true });
      assert.equal(r.status, 201);
      assert.deepEqual(Object.keys(r.json), ['kind', 'apiVersion', 'metadata', 'status']);
      const { extra, ...user } = r.json.status.userInfo;
      assert.deepEqual(user, { username: 'sandbox-admin', groups: ['system:masters', 'system:authenticated'] });
      // The x509 authenticator names the credential by the certificate's SHA-256.
      assert.deepEqual(Object.keys(extra), ['authentication.kubernetes.io/credential-id']);
      assert.match(extra['authentication.kubernetes.io/credential-id'][0], /^X509SHA256=[0-9a-f]{64}$/);
      assert.match(r.json.metadata.creationTimestamp, /Z$/);
      const t = await call(sb, '/api/v1/namespaces');
      assert.equal(t.status, 200);
    });

    test('unknown or expired bearer tokens: 401 Unauthorized', async () => {
      const r = await call(sb, '/api/v1/namespaces', { token: 'nope' });
      assert.equal(r.status, 401);
      assert.equal(r.text, statusBody(401, 'Unauthorized', 'Unauthorized') + '\n');
      const cfg = JSON.parse(readFileSync(sb.kubeconfigPath, 'utf8'));
      const expired = cfg.users.find((u: any) => u.name === 'expired').user.token;
      assert.equal((await call(sb, '/api/v1/namespaces', { token: expired })).status, 401);
    });

    test('anonymous: 403 on resources and on JWKS for callers outside system:serviceaccounts', async () => {
      const r = await call(sb, '/api/v1/namespaces', { token: null });
      assert.equal(r.status, 403);
      assert.equal(r.text, statusBody(403, 'Forbidden', 'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope', { kind: 'namespaces' }) + '\n');
      const j = await call(sb, '/openid/v1/jwks', { token: null });
      assert.equal(j.status, 403);
      assert.equal(j.text, statusBody(403, 'Forbidden', 'forbidden: User "system:anonymous" cannot get path "/openid/v1/jwks"', {}) + '\n');
      assert.equal((await call(sb, '/version', { token: null })).status, 200);
      const jane = await call(sb, '/.well-known/openid-configuration', { token: janeToken(sb) });
      assert.equal(jane.json.message, 'forbidden: User "jane" cannot get path "/.well-known/openid-configuration"');
    });

    test('limited user: namespace-scoped rights and the real 403 texts', async () => {
      const token = janeToken(sb);
      assert.equal((await call(sb, '/api/v1/namespaces/build/serviceaccounts', { token })).status, 200);
      const all = await call(sb, '/api/v1/serviceaccounts', { token });
      assert.equal(all.text, statusBody(403, 'Forbidden', 'serviceaccounts is forbidden: User "jane" cannot list resource "serviceaccounts" in API group "" at the cluster scope', { kind: 'serviceaccounts' }) + '\n');
      const other = await call(sb, '/api/v1/namespaces/payments/serviceaccounts/ledger', { token });
      assert.equal(
        other.text,
        statusBody(403, 'Forbidden', 'serviceaccounts "ledger" is forbidden: User "jane" cannot get resource "serviceaccounts" in API group "" in the namespace "payments"', { name: 'ledger', kind: 'serviceaccounts' }) + '\n',
      );
      const tok = await call(sb, tr('web', 'frontend'), { token, body: {} });
      assert.equal(
        tok.text,
        statusBody(403, 'Forbidden', 'serviceaccounts "frontend" is forbidden: User "jane" cannot create resource "serviceaccounts/token" in API group "" in the namespace "web"', { name: 'frontend', kind: 'serviceaccounts' }) + '\n',
      );
      assert.equal((await call(sb, tr('build', 'ci-bot'), { token, body: {} })).status, 201);
      const ns = await call(sb, '/api/v1/namespaces/build', { token });
      assert.equal(ns.json.message, 'namespaces "build" is forbidden: User "jane" cannot get resource "namespaces" in API group "" in the namespace "build"');
      const tr2 = await call(sb, '/apis/authentication.k8s.io/v1/tokenreviews', { token, body: { spec: { token: 'x' } } });
      assert.equal(tr2.json.message, 'tokenreviews.authentication.k8s.io is forbidden: User "jane" cannot create resource "tokenreviews" in API group "authentication.k8s.io" at the cluster scope');
      assert.deepEqual(tr2.json.details, { group: 'authentication.k8s.io', kind: 'tokenreviews' });
    });

    test('SA tokens authenticate; invalidated once the bound pod is gone (after the 10 s authentication cache)', async () => {
      const created = await call(sb, '/api/v1/namespaces/build/pods', { body: { metadata: { name: 'tmp-pod' }, spec: { serviceAccountName: 'ci-bot', nodeName: 'worker-2', containers: [{ name: 'c', image: 'x' }] } } });
      assert.equal(created.status, 201, created.text);
      const token = await mint(sb, 'build', 'ci-bot', { boundObjectRef: { kind: 'Pod', name: 'tmp-pod' } });
      const ok = await call(sb, '/api/v1/namespaces/build/pods', { token });
      assert.equal(ok.status, 200, ok.text);
      const ssr = await call(sb, '/apis/authentication.k8s.io/v1/selfsubjectreviews', { token, body: {} });
      const u = ssr.json.status.userInfo;
      assert.equal(u.username, 'system:serviceaccount:build:ci-bot');
      assert.deepEqual(u.groups, ['system:serviceaccounts', 'system:serviceaccounts:build', 'system:authenticated']);
      assert.deepEqual(Object.keys(u.extra), [
        'authentication.kubernetes.io/credential-id',
        'authentication.kubernetes.io/node-name',
        'authentication.kubernetes.io/node-uid',
        'authentication.kubernetes.io/pod-name',
        'authentication.kubernetes.io/pod-uid',
      ]);
      assert.deepEqual(u.extra['authentication.kubernetes.io/pod-name'], ['tmp-pod']);
      // Without a kubelet a graceful delete never finishes (the pod stays, and its tokens stay valid until
      // deletionTimestamp + 60 s): delete at once, as a kubelet would confirm it.
      assert.equal((await call(sb, '/api/v1/namespaces/build/pods/tmp-pod?gracePeriodSeconds=0', { method: 'DELETE' })).status, 200);
      // The API server caches token authentication for 10 s: poll, as a user retrying would.
      await eventually('the deleted pod\'s token to be refused', async () => ((await call(sb, '/api/v1/namespaces/build/pods', { token })).status === 401 ? true : undefined), 20_000);
      const review = await call(sb, '/apis/authentication.k8s.io/v1/tokenreviews', { body: { spec: { token } } });
      assert.equal(review.status, 201);
      assert.equal(review.json.status.error, '[invalid bearer token, service account token has been invalidated]');
    });

    test('legacy Secret tokens: authenticate, stamp last-used (even when refused), warn when auto-generated; invalid-since refuses', async () => {
    const secretToken = async (ns: string, name: string) => Buffer.from((await call(sb, `/api/v1/namespaces/${ns}/secrets/${name}`)).json.data.token, 'base64').toString();
    const lastUsed = async (ns: string, name: string) => (await call(sb, `/api/v1/namespaces/${ns}/secrets/${name}`)).json.metadata.labels?.['kubernetes.io/legacy-token-last-used'];
    const today = new Date().toISOString().slice(0, 10);
    const whoami = (token: string) => call(sb, '/apis/authentication.k8s.io/v1/selfsubjectreviews', { token, body: {} });
    // Listed in the SA's secrets: an auto-generated token, used with a deprecation warning.
    const auto = await whoami(await secretToken('build', 'ci-bot-token'));
    assert.equal(auto.status, 201, auto.text);
    assert.equal(auto.json.status.userInfo.username, 'system:serviceaccount:build:ci-bot');
    assert.deepEqual(auto.json.status.userInfo.groups, ['system:serviceaccounts', 'system:serviceaccounts:build', 'system:authenticated']);
    assert.equal(auto.headers.warning, '299 - "Use tokens from the TokenRequest API or manually created secret-based tokens instead of auto-generated secret-based tokens."');
    assert.equal(await lastUsed('build', 'ci-bot-token'), today);
    const manual = await whoami(await secretToken('build', 'deployer-token-legacy'));
    assert.equal(manual.status, 201, manual.text);
    assert.equal(manual.headers.warning, undefined);
    assert.equal(await lastUsed('build', 'deployer-token-legacy'), today);
    // Marked invalid by the cleaner: refused now, and the refused use is stamped too.
    const invalid = await secretToken('payments', 'ledger-token-old');
    assert.equal((await whoami(invalid)).status, 401);
    assert.equal(await lastUsed('payments', 'ledger-token-old'), today);
    const review = await call(sb, '/apis/authentication.k8s.io/v1/tokenreviews', { body: { spec: { token: invalid } } });
    assert.equal(review.json.status.error, "[invalid bearer token, the token in secret payments/ledger-token-old for service account payments/ledger has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the 'kubernetes.io/legacy-token-invalid-since' label from the secret to temporarily allow use of this token]");
  });

  test('SA token: custom audience gets 401 from the API server; SA recreated → uid mismatch', async () => {
      const custom = await mint(sb, 'build', 'ci-bot', { audiences: ['https://vault.example'] });
      assert.equal((await call(sb, '/api/v1/namespaces/build/pods', { token: custom })).status, 401);
      const review = await call(sb, '/apis/authentication.k8s.io/v1/tokenreviews', { body: { spec: { token: custom } } });
      assert.equal(review.json.status.error, `[invalid bearer token, token audiences ["https://vault.example"] is invalid for the target audiences ["${ISSUER}"]]`);
      await call(sb, '/api/v1/namespaces/web/serviceaccounts', { body: { metadata: { name: 'phoenix' } } });
      const t = await mint(sb, 'web', 'phoenix');
      await call(sb, '/api/v1/namespaces/web/serviceaccounts/phoenix', { method: 'DELETE' });
      const again = await call(sb, '/api/v1/namespaces/web/serviceaccounts', { body: { metadata: { name: 'phoenix' } } });
      const r = await call(sb, '/apis/authentication.k8s.io/v1/tokenreviews', { body: { spec: { token: t } } });
      const claimUid = decodeJwt(t).payload['kubernetes.io'].serviceaccount.uid;
      assert.equal(r.json.status.error, `[invalid bearer token, service account UID (${again.json.metadata.uid}) does not match claim (${claimUid})]`);
    });

    test('TokenReview: 201 echoing the token; success with user, extra and audiences', async () => {
      const token = await mint(sb, 'build', 'ci-bot', { audiences: ['aud-a', 'aud-b'], boundObjectRef: { kind: 'Pod', name: 'runner-7' } });
      const r = await call(sb, '/apis/authentication.k8s.io/v1/tokenreviews', { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences: ['aud-b', 'other'] } } });
      assert.equal(r.status, 201);
      assert.deepEqual(Object.keys(r.json), ['kind', 'apiVersion', 'metadata', 'spec', 'status']);
      assert.deepEqual(r.json.metadata, { managedFields: [{
        manager: 'unknown', operation: 'Update', apiVersion: 'authentication.k8s.io/v1', time: r.json.metadata.managedFields[0].time,
        fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:audiences': {}, 'f:token': {} } },
      }] });
      assert.match(r.json.metadata.managedFields[0].time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.deepEqual(r.json.spec, { token, audiences: ['aud-b', 'other'] });
      assert.deepEqual(Object.keys(r.json.status), ['authenticated', 'user', 'audiences']);
      assert.equal(r.json.status.authenticated, true);
      assert.deepEqual(r.json.status.audiences, ['aud-b']);
      assert.equal(r.json.status.user.extra['authentication.kubernetes.io/credential-id'][0], `JTI=${decodeJwt(token).payload.jti}`);
      const bad = await call(sb, '/apis/authentication.k8s.io/v1/tokenreviews', { body: { spec: { token: 'garbage' } } });
      assert.equal(bad.status, 201);
      assert.deepEqual(bad.json.status, { user: {}, error: 'invalid bearer token' });
      assert.equal(bad.json.spec.token, 'garbage');
      const empty = await call(sb, '/apis/authentication.k8s.io/v1/tokenreviews', { body: { spec: {} } });
      assert.equal(empty.text, statusBody(400, 'BadRequest', 'token is required for TokenReview in authentication') + '\n');
    });

    // The clock knob is the sandbox's: a real server's clock is the machine's.
    if (kind === 'sandbox') {test('TokenReview time checks use one minute of leeway (server clock knob)', async () => {
      const token = await mint(sb, 'build', 'ci-bot', { expirationSeconds: 600 });
      await call(sb, '/sandbox/v1/clock', { body: { offsetSeconds: 650 } });
      const within = await call(sb, '/apis/authentication.k8s.io/v1/tokenreviews', { body: { spec: { token } } });
      assert.equal(within.json.status.authenticated, true);
      await call(sb, '/sandbox/v1/clock', { body: { offsetSeconds: 700 } });
      const after = await call(sb, '/apis/authentication.k8s.io/v1/tokenreviews', { body: { spec: { token } } });
      assert.equal(after.json.status.error, '[invalid bearer token, service account token has expired]');
      await call(sb, '/sandbox/v1/clock', { body: { offsetSeconds: -120 } });
      const early = await call(sb, '/apis/authentication.k8s.io/v1/tokenreviews', { body: { spec: { token } } });
      assert.equal(early.json.status.error, '[invalid bearer token, service account token is not valid yet]');
      await call(sb, '/sandbox/v1/clock', { body: { offsetSeconds: 0 } });
    });}

    test('SelfSubjectRulesReview: 400 without namespace; spec comes back {}; merged rules', async () => {
      const bad = await call(sb, '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { body: { spec: {} }, token: janeToken(sb) });
      assert.equal(bad.text, statusBody(400, 'BadRequest', 'no namespace on request') + '\n');
      const r = await call(sb, '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { body: { spec: { namespace: 'build' } }, token: janeToken(sb) });
      assert.equal(r.status, 201);
      assert.deepEqual(r.json.spec, {});
      assert.deepEqual(Object.keys(r.json.status), ['resourceRules', 'nonResourceRules', 'incomplete']);
      assert.equal(r.json.status.incomplete, false);
      assert.ok(r.json.status.resourceRules.some((x: any) => x.resources.includes('serviceaccounts/token') && x.verbs.includes('create')));
      const web = await call(sb, '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { body: { spec: { namespace: 'web' } }, token: janeToken(sb) });
      assert.ok(!web.json.status.resourceRules.some((x: any) => x.resources.includes('serviceaccounts/token')));
    });

    test('OIDC discovery and JWKS for SA callers: the JWKS is served only as application/jwk-set+json', async () => {
      const token = await mint(sb, 'build', 'builder');
      const plain = await call(sb, '/openid/v1/jwks', { token });
      assert.equal(plain.status, 406);
      assert.equal(plain.text, statusBody(406, 'NotAcceptable', '406: Not Acceptable\n\nAvailable representations: application/jwk-set+json', {}) + '\n');
      const kubectlAccept = await call(sb, '/openid/v1/jwks', { token, headers: { Accept: 'application/json, */*' } });
      assert.equal(kubectlAccept.status, 200);
      const d = await call(sb, '/.well-known/openid-configuration', { token });
      assert.equal(d.status, 200);
      assert.equal(d.headers['cache-control'], 'public, max-age=3600');
      assert.deepEqual(Object.keys(d.json), ['issuer', 'jwks_uri', 'response_types_supported', 'subject_types_supported', 'id_token_signing_alg_values_supported']);
      assert.equal(d.json.jwks_uri, `${sb.url}/openid/v1/jwks`);
      const j = await call(sb, '/openid/v1/jwks', { token, headers: jwkSet });
      assert.equal(j.headers['content-type'], 'application/jwk-set+json');
      // The signing key and one older verification key (a rotation in progress).
      assert.equal(j.json.keys.length, 2);
      assert.deepEqual(Object.keys(j.json.keys[0]), ['use', 'kty', 'kid', 'alg', 'n', 'e']);
      await jwtVerify(token, createLocalJWKSet(j.json), { issuer: ISSUER });
    });

    // Rotating keys at run time is a sandbox knob: a real server reads its keys at start-up.
    if (kind === 'sandbox') {test('key rotation keeps old keys unless dropped', async () => {
      const token = await mint(sb, 'build', 'builder');
      const rot = await call(sb, '/sandbox/v1/rotate-keys', { method: 'POST' });
      assert.equal(rot.json.kids.length, 3);
      const j2 = await call(sb, '/openid/v1/jwks', { headers: jwkSet });
      await jwtVerify(token, createLocalJWKSet(j2.json), { issuer: ISSUER });
      const fresh = await mint(sb, 'build', 'builder');
      assert.equal(decodeJwt(fresh).header.kid, rot.json.signingKid);
      await call(sb, '/sandbox/v1/rotate-keys?dropOld=true', { method: 'POST' });
      const r = await call(sb, '/apis/authentication.k8s.io/v1/tokenreviews', { body: { spec: { token } } });
      assert.equal(r.json.status.error, '[invalid bearer token, invalid signature, no keys found]');
    });}

    if (kind === 'sandbox') {test('control endpoints need system:masters', async () => {
      const r = await call(sb, '/sandbox/v1/compact', { method: 'POST', token: janeToken(sb) });
      assert.equal(r.status, 403);
    });}
  });
}

suite('sandbox OIDC knobs', () => {
  let pub: Sandbox;
  let http: Sandbox;
  suiteSetup(async () => {
    [pub, http] = await Promise.all([startSandbox({ oidcPublic: true }), startSandbox({ issuer: 'http://issuer.example', versionProfile: '1.33' })]);
  });
  suiteTeardown(async () => {
    await Promise.all([pub?.close(), http?.close()]);
  });

  test('oidcPublic binds issuer discovery to system:unauthenticated', async () => {
    assert.equal((await call(pub, '/openid/v1/jwks', { token: null, headers: jwkSet })).status, 200);
    assert.equal((await call(pub, '/.well-known/openid-configuration/', { token: null })).status, 200);
  });

  test('non-https issuer: discovery paths are not served (404); pre-1.34 zero metadata', async () => {
    const r = await call(http, '/openid/v1/jwks', { headers: jwkSet });
    assert.equal(r.status, 404);
    const token = await mint(http, 'build', 'ci-bot');
    assert.equal(decodeJwt(token).payload.iss, 'http://issuer.example');
    const rev = await call(http, '/apis/authentication.k8s.io/v1/tokenreviews', { body: { spec: { token } } });
    assert.deepEqual(Object.keys(rev.json.metadata), ['creationTimestamp', 'managedFields']);
    assert.equal(rev.json.metadata.creationTimestamp, null);
    assert.equal(rev.json.status.authenticated, true);
  });
});
