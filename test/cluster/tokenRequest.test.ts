// TokenRequest conformance: every row of the §1 check order, defaults, cap, extension, create options.
import assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { clusterKinds, startCluster, type TestCluster } from './clusters';
import { call, decodeJwt, jwkSet, statusBody, tokenRequestPath as tr } from './helpers';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const GROUP = 'authentication.k8s.io';

async function uidOf(sb: TestCluster | Sandbox, path: string): Promise<string> {
  const r = await call(sb, path);
  assert.equal(r.status, 200, r.text);
  return r.json.metadata.uid;
}

for (const kind of clusterKinds) {
  suite(`${kind}: TokenRequest`, () => {
    let sb: TestCluster;
    let saUid: string;
    suiteSetup(async () => {
      sb = await startCluster(kind);
      saUid = await uidOf(sb, '/api/v1/namespaces/build/serviceaccounts/ci-bot');
    });
    suiteTeardown(async () => sb?.close());

    const post = (path: string, body: unknown = {}) => call(sb, path, { body });

    test('namespace in the body differing from the URL: 400 before any storage check', async () => {
      const r = await post(tr('build', 'ci-bot'), { metadata: { name: 'other', namespace: 'payments' } });
      assert.equal(r.status, 400);
      assert.equal(r.text, statusBody(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request') + '\n');
    });

    test('1. NamespaceLifecycle admission first: a missing namespace is 404 even with a name mismatch', async () => {
      const r = await post(tr('no-such-ns', 'ci-bot'), { metadata: { name: 'other' }, spec: { expirationSeconds: 1 } });
      assert.equal(r.status, 404);
      assert.equal(r.text, statusBody(404, 'NotFound', 'namespaces "no-such-ns" not found', { name: 'no-such-ns', kind: 'namespaces' }) + '\n');
    });

    test('1b. metadata.name mismatch: 422 on the URL name, before the service-account lookup', async () => {
      const r = await post(tr('build', 'ghost'), { metadata: { name: 'other' }, spec: { expirationSeconds: 1 } });
      assert.equal(r.status, 422);
      assert.equal(
        r.text,
        statusBody(422, 'Invalid', 'TokenRequest.authentication.k8s.io "ghost" is invalid: metadata.name: Invalid value: "other": must match the service account name if specified', {
          name: 'ghost',
          group: GROUP,
          kind: 'TokenRequest',
          causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "other": must match the service account name if specified', field: 'metadata.name' }],
        }) + '\n',
      );
    });

    test('2a. missing namespace: 404 namespaces, before the SA lookup', async () => {
      const r = await post(tr('no-such-ns', 'ghost'));
      assert.equal(r.status, 404);
      assert.equal(r.text, statusBody(404, 'NotFound', 'namespaces "no-such-ns" not found', { name: 'no-such-ns', kind: 'namespaces' }) + '\n');
    });

    test('2b. terminating namespace: 403 NamespaceTerminating', async () => {
      const r = await post(tr('decommissioned', 'default'));
      assert.equal(r.status, 403);
      assert.equal(
        r.text,
        statusBody(403, 'Forbidden', 'serviceaccounts "default" is forbidden: unable to create new content in namespace decommissioned because it is being terminated', {
          name: 'default',
          kind: 'serviceaccounts',
          causes: [{ reason: 'NamespaceTerminating', message: 'namespace decommissioned is being terminated', field: 'metadata.namespace' }],
        }) + '\n',
      );
    });

    test('3. missing SA: 404, even with an invalid expiration (lookup runs first)', async () => {
      const r = await post(tr('build', 'ghost'), { spec: { expirationSeconds: 60 } });
      assert.equal(r.status, 404);
      assert.equal(r.text, statusBody(404, 'NotFound', 'serviceaccounts "ghost" not found', { name: 'ghost', kind: 'serviceaccounts' }) + '\n');
    });

    test('4. uid mismatch (v1.34+): 409, before expiration validation', async () => {
      const r = await post(tr('build', 'ci-bot'), { metadata: { uid: 'wrong-uid' }, spec: { expirationSeconds: 60 } });
      assert.equal(r.status, 409);
      assert.equal(
        r.text,
        statusBody(409, 'Conflict', `Operation cannot be fulfilled on TokenRequest.authentication.k8s.io "ci-bot": the UID in the token request (wrong-uid) does not match the UID of the service account (${saUid})`, {
          name: 'ci-bot',
          group: GROUP,
          kind: 'TokenRequest',
        }) + '\n',
      );
    });

    test('4b. matching uid is accepted and echoed', async () => {
      const r = await post(tr('build', 'ci-bot'), { metadata: { uid: saUid } });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.metadata.uid, saUid);
    });

    for (const [value, detail] of [
      [60, 'may not specify a duration less than 10 minutes'],
      [0, 'may not specify a duration less than 10 minutes'],
      [599, 'may not specify a duration less than 10 minutes'],
      [4294967297, 'may not specify a duration larger than 2^32 seconds'],
    ] as const) {
      test(`6. expirationSeconds ${value}: 422 with the empty name`, async () => {
        // a missing bound object does not matter: validation runs first
        const r = await post(tr('build', 'ci-bot'), { spec: { expirationSeconds: value, boundObjectRef: { kind: 'Pod', name: 'missing' } } });
        assert.equal(r.status, 422);
        assert.equal(
          r.text,
          statusBody(422, 'Invalid', `TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: ${value}: ${detail}`, {
            group: GROUP,
            kind: 'TokenRequest',
            causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${value}: ${detail}`, field: 'spec.expirationSeconds' }],
          }) + '\n',
        );
      });
    }

    test('6b. 600 and 2^32 are accepted', async () => {
      assert.equal((await post(tr('build', 'ci-bot'), { spec: { expirationSeconds: 600 } })).status, 201);
      assert.equal((await post(tr('build', 'ci-bot'), { spec: { expirationSeconds: 4294967296 } })).status, 201);
    });

    const boundCases: [string, unknown, number, string, string, Record<string, unknown> | undefined][] = [
      ['missing Pod', { kind: 'Pod', apiVersion: 'v1', name: 'nope' }, 404, 'NotFound', 'pods "nope" not found', { name: 'nope', kind: 'pods' }],
      ['Pod under another SA', { kind: 'Pod', apiVersion: 'v1', name: 'deploy-5d9c7' }, 400, 'BadRequest', 'cannot bind token for serviceaccount "ci-bot" to pod running with different serviceaccount name.', undefined],
      ['Pod in another namespace', { kind: 'Pod', name: 'ledger-0' }, 404, 'NotFound', 'pods "ledger-0" not found', { name: 'ledger-0', kind: 'pods' }],
      ['missing Secret', { kind: 'Secret', apiVersion: 'v1', name: 'nope' }, 404, 'NotFound', 'secrets "nope" not found', { name: 'nope', kind: 'secrets' }],
      ['missing Node', { kind: 'Node', apiVersion: 'v1', name: 'nope' }, 404, 'NotFound', 'nodes "nope" not found', { name: 'nope', kind: 'nodes' }],
      ['empty name', { kind: 'Pod', apiVersion: 'v1' }, 400, 'BadRequest', 'Name parameter required.', undefined],
      ['name with a slash', { kind: 'Secret', name: 'a/b' }, 400, 'BadRequest', 'Name parameter invalid: "a/b": may not contain \'/\'', undefined],
      ['unsupported kind', { kind: 'ConfigMap', apiVersion: 'v1', name: 'x' }, 400, 'BadRequest', 'cannot bind token to object of type /v1, Kind=ConfigMap', undefined],
      ['kind is case-sensitive', { kind: 'pod', apiVersion: 'v1', name: 'runner-7' }, 400, 'BadRequest', 'cannot bind token to object of type /v1, Kind=pod', undefined],
      ['non-core group', { kind: 'Pod', apiVersion: 'apps/v1', name: 'runner-7' }, 400, 'BadRequest', 'cannot bind token to object of type apps/v1, Kind=Pod', undefined],
    ];
    for (const [label, ref, code, reason, message, details] of boundCases) {
      test(`8. bound object, ${label}: ${code}`, async () => {
        const r = await post(tr('build', 'ci-bot'), { spec: { boundObjectRef: ref } });
        assert.equal(r.status, code, r.text);
        assert.equal(r.text, statusBody(code, reason, message, details) + '\n');
      });
    }

    test('8. bound uid mismatch: 409 naming the Kind, real uid not revealed', async () => {
      const r = await post(tr('build', 'ci-bot'), { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'runner-7', uid: 'stale' } } });
      assert.equal(r.status, 409);
      assert.equal(
        r.text,
        statusBody(409, 'Conflict', 'Operation cannot be fulfilled on Pod "runner-7": the UID in the bound object reference (stale) does not match the UID in record. The object might have been deleted and then recreated', {
          name: 'runner-7',
          kind: 'Pod',
        }) + '\n',
      );
    });

    test('8. apiVersion is ignored except for the group ("", v1, v2 all bind)', async () => {
      for (const apiVersion of ['', 'v1', 'v2']) {
        const r = await post(tr('build', 'ci-bot'), { spec: { boundObjectRef: { kind: 'Secret', apiVersion, name: 'vault-config' } } });
        assert.equal(r.status, 201, r.text);
      }
    });

    test('201 defaults: 3600 s, API audiences, metadata filled, boundObjectRef null, headers', async () => {
      const r = await post(tr('build', 'ci-bot'), { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' });
      assert.equal(r.status, 201);
      assert.deepEqual(Object.keys(r.json), ['kind', 'apiVersion', 'metadata', 'spec', 'status']);
      assert.deepEqual(Object.keys(r.json.metadata), ['name', 'namespace', 'uid', 'creationTimestamp', 'managedFields']);
      // The field manager records what the request set: only the defaulted lifetime here; no User-Agent → "unknown".
      assert.deepEqual(r.json.metadata.managedFields, [{
        manager: 'unknown', operation: 'Update', apiVersion: 'authentication.k8s.io/v1', time: r.json.metadata.creationTimestamp,
        fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:expirationSeconds': {} } }, subresource: 'token',
      }]);
      const managed = await post(tr('build', 'ci-bot', '?fieldManager=ci'), { metadata: { labels: { a: 'b' } }, spec: { audiences: [], boundObjectRef: { kind: 'Pod', name: 'runner-7' } } });
      assert.equal(managed.json.metadata.managedFields[0].manager, 'ci');
      assert.deepEqual(managed.json.metadata.managedFields[0].fieldsV1, {
        'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } },
        'f:spec': { 'f:audiences': {}, 'f:boundObjectRef': { 'f:kind': {}, 'f:name': {} }, 'f:expirationSeconds': {} },
      });
      assert.deepEqual(r.json.spec, { audiences: [ISSUER], expirationSeconds: 3600, boundObjectRef: null });
      assert.match(r.json.status.expirationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(Date.parse(r.json.status.expirationTimestamp) - Date.parse(r.json.metadata.creationTimestamp), 3600_000);
      assert.match(String(r.headers['audit-id']), /^[0-9a-f-]{36}$/);
      assert.equal(r.headers['cache-control'], 'no-cache, private');
      assert.equal(r.headers['content-type'], 'application/json');
      assert.ok(r.headers['x-kubernetes-pf-flowschema-uid']);
      assert.ok(r.headers['x-kubernetes-pf-prioritylevel-uid']);
      assert.ok(r.text.endsWith('}\n'));
    });

    test('§2 JWT: header, sorted claims, aud array, iat = nbf, jti, kubernetes.io claims; verifies against JWKS', async () => {
      const pod = await call(sb, '/api/v1/namespaces/build/pods/runner-7');
      const node = await call(sb, '/api/v1/nodes/worker-1');
      const r = await post(tr('build', 'ci-bot'), { spec: { audiences: ['https://vault.example'], expirationSeconds: 7200, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'runner-7' } } });
      assert.equal(r.status, 201);
      // the server does not fill in the uid of the ref
      assert.deepEqual(r.json.spec.boundObjectRef, { kind: 'Pod', apiVersion: 'v1', name: 'runner-7' });
      const token: string = r.json.status.token;
      const { header, payload, payloadText } = decodeJwt(token);
      const jwks = (await call(sb, '/openid/v1/jwks', { headers: jwkSet })).json;
      assert.deepEqual(Object.keys(header), ['alg', 'kid']);
      assert.equal(header.alg, 'RS256');
      const jwk = jwks.keys.find((k: { kid: string }) => k.kid === header.kid);
      assert.ok(jwk, 'signing key is in the JWKS');
      const spki = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' });
      assert.equal(header.kid, createHash('sha256').update(spki).digest('base64url'));
      assert.deepEqual(Object.keys(payload), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
      assert.ok(payloadText.startsWith('{"aud":["https://vault.example"],"exp":'));
      assert.equal(payload.iat, payload.nbf);
      assert.equal(payload.exp - payload.iat, 7200);
      assert.match(payload.jti, /^[0-9a-f-]{36}$/);
      assert.deepEqual(payload['kubernetes.io'], {
        namespace: 'build',
        node: { name: 'worker-1', uid: node.json.metadata.uid },
        pod: { name: 'runner-7', uid: pod.json.metadata.uid },
        serviceaccount: { name: 'ci-bot', uid: saUid },
      });
      assert.equal(payload.sub, 'system:serviceaccount:build:ci-bot');
      const verified = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: ISSUER, audience: 'https://vault.example' });
      assert.equal(verified.protectedHeader.kid, header.kid);
      // the response's expirationTimestamp comes from the spec, at most a second before exp
      assert.ok(payload.exp * 1000 - Date.parse(r.json.status.expirationTimestamp) <= 1000);
    });

    test('§2 JWT: Pod scheduled on a missing Node keeps the node name without uid; Secret and Node bindings', async () => {
      const r1 = await post(tr('ml-platform', 'trainer'), { spec: { boundObjectRef: { kind: 'Pod', name: 'trainer-0' } } });
      assert.deepEqual(decodeJwt(r1.json.status.token).payload['kubernetes.io'].node, { name: 'gpu-node-gone' });
      const secretUid = await uidOf(sb, '/api/v1/namespaces/build/secrets/vault-config');
      const r2 = await post(tr('build', 'ci-bot'), { spec: { boundObjectRef: { kind: 'Secret', name: 'vault-config' } } });
      const k2 = decodeJwt(r2.json.status.token).payload['kubernetes.io'];
      assert.deepEqual(k2.secret, { name: 'vault-config', uid: secretUid });
      assert.equal(k2.pod, undefined);
      const nodeUid = await uidOf(sb, '/api/v1/nodes/worker-2');
      const r3 = await post(tr('build', 'ci-bot'), { spec: { boundObjectRef: { kind: 'Node', name: 'worker-2', uid: nodeUid } } });
      assert.equal(r3.status, 201, r3.text);
      assert.deepEqual(decodeJwt(r3.json.status.token).payload['kubernetes.io'].node, { name: 'worker-2', uid: nodeUid });
    });

    test('10. Pod-bound 3607 s token is extended to a year with warnafter; response still says 3607', async () => {
      const r = await post(tr('build', 'ci-bot'), { spec: { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', name: 'runner-7' } } });
      assert.equal(r.status, 201);
      assert.equal(r.json.spec.expirationSeconds, 3607);
      const p = decodeJwt(r.json.status.token).payload;
      assert.equal(p.exp - p.iat, 31536000);
      assert.equal(p['kubernetes.io'].warnafter, p.iat + 3607);
      assert.equal(Date.parse(r.json.status.expirationTimestamp) - Date.parse(r.json.metadata.creationTimestamp), 3607_000);
    });

    test('10. no extension for non-API audiences, Secret bindings, or other durations', async () => {
      for (const spec of [
        { expirationSeconds: 3607, audiences: ['vault'], boundObjectRef: { kind: 'Pod', name: 'runner-7' } },
        { expirationSeconds: 3607, boundObjectRef: { kind: 'Secret', name: 'vault-config' } },
        { expirationSeconds: 3606, boundObjectRef: { kind: 'Pod', name: 'runner-7' } },
      ]) {
        const p = decodeJwt((await post(tr('build', 'ci-bot'), { spec })).json.status.token).payload;
        assert.equal(p.exp - p.iat, spec.expirationSeconds);
        assert.equal(p['kubernetes.io'].warnafter, undefined);
      }
    });

    test('dryRun=All still mints a real token; other values are 422', async () => {
      const r = await post(tr('build', 'ci-bot', '?dryRun=All'));
      assert.equal(r.status, 201);
      const jwks = (await call(sb, '/openid/v1/jwks', { headers: jwkSet })).json;
      await jwtVerify(r.json.status.token, createLocalJWKSet(jwks), { issuer: ISSUER });
      const bad = await post(tr('build', 'ci-bot', '?dryRun=Foo'));
      assert.equal(bad.status, 422);
      assert.equal(
        bad.text,
        statusBody(422, 'Invalid', 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Foo"]: supported values: "All"', {
          group: 'meta.k8s.io',
          kind: 'CreateOptions',
          causes: [{ reason: 'FieldValueNotSupported', message: 'Unsupported value: ["Foo"]: supported values: "All"', field: 'dryRun' }],
        }) + '\n',
      );
    });

    test('fieldValidation (fields reported in document order): Strict 400, Warn/empty Warning header, Ignore silent, bogus 422', async () => {
      const body = { spec: { x: 1, audiences: ['a'] }, foo: true };
      const strict = await post(tr('build', 'ci-bot', '?fieldValidation=Strict'), body);
      assert.equal(strict.status, 400);
      assert.equal(strict.json.message, 'TokenRequest in version "v1" cannot be handled as a TokenRequest: strict decoding error: unknown field "spec.x", unknown field "foo"');
      const warn = await post(tr('build', 'ci-bot'), body);
      assert.equal(warn.status, 201);
      assert.deepEqual(warn.headers.warning, '299 - "unknown field \\"spec.x\\"", 299 - "unknown field \\"foo\\""');
      const ignore = await post(tr('build', 'ci-bot', '?fieldValidation=Ignore'), body);
      assert.equal(ignore.status, 201);
      assert.equal(ignore.headers.warning, undefined);
      const bogus = await post(tr('build', 'ci-bot', '?fieldValidation=Loud'), body);
      assert.equal(bogus.status, 422);
      assert.equal(bogus.json.message, 'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loud": supported values: "", "Ignore", "Strict", "Warn"');
    });

    test('fieldManager longer than 128 characters: 422', async () => {
      const ok = await post(tr('build', 'ci-bot', `?fieldManager=${'m'.repeat(128)}`));
      assert.equal(ok.status, 201);
      const r = await post(tr('build', 'ci-bot', `?fieldManager=${'m'.repeat(129)}`));
      assert.equal(r.status, 422);
      assert.equal(r.json.message, 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes');
    });

    test('pretty=true and curl User-Agent indent the JSON', async () => {
      const r = await post(tr('build', 'ghost', '?pretty=true'));
      assert.ok(r.text.startsWith('{\n  "kind": "Status",\n'));
      const c = await call(sb, tr('build', 'ghost'), { body: {}, headers: { 'User-Agent': 'curl/8.5.0' } });
      assert.ok(c.text.startsWith('{\n  "kind": "Status",\n'));
      const plain = await call(sb, tr('build', 'ghost'), { body: {}, headers: { 'User-Agent': 'node' } });
      assert.ok(plain.text.startsWith('{"kind":"Status"'));
    });

    test('other methods on /token are not served', async () => {
      const r = await call(sb, tr('build', 'ci-bot'));
      assert.equal(r.status, 405);
      assert.equal(r.json.reason, 'MethodNotAllowed');
    });
  });
}

for (const kind of clusterKinds) {
  suite(`${kind}: TokenRequest with --service-account-max-token-expiration=2h and no extension`, () => {
    let capped: TestCluster;
    suiteSetup(async () => {
      capped = await startCluster(kind, { maxTokenExpirationSeconds: 7200, extendTokenExpiration: false });
    });
    suiteTeardown(async () => capped?.close());

    test('9. cap shortens the expiration with a Warning: 299 header', async () => {
      const r = await call(capped, tr('build', 'ci-bot'), { body: { spec: { expirationSeconds: 86400 } } });
      assert.equal(r.status, 201);
      assert.equal(r.headers.warning, '299 - "requested expiration of 86400 seconds shortened to 7200 seconds"');
      assert.equal(r.json.spec.expirationSeconds, 7200);
      const p = decodeJwt(r.json.status.token);
      assert.equal(p.payload.exp - p.payload.iat, 7200);
      await jwtVerify(r.json.status.token, createLocalJWKSet((await call(capped, '/openid/v1/jwks', { headers: jwkSet })).json));
    });

    test('10. extension off: 3607 stays 3607', async () => {
      const r = await call(capped, tr('build', 'ci-bot'), { body: { spec: { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', name: 'runner-7' } } } });
      const p = decodeJwt(r.json.status.token).payload;
      assert.equal(p.exp - p.iat, 3607);
      assert.equal(p['kubernetes.io'].warnafter, undefined);
    });
  });
}

// Version profiles and key types are the sandbox's alone: the real control plane is one release with an RSA key.
suite('sandbox TokenRequest knobs (1.30 and 1.33 profiles, ES256)', () => {
  let es256: Sandbox;
  let old: Sandbox;
  let v133: Sandbox;
  suiteSetup(async () => {
    [es256, old, v133] = await Promise.all([
      startSandbox({ maxTokenExpirationSeconds: 7200, keyType: 'ES256' }),
      startSandbox({ versionProfile: '1.30' }),
      startSandbox({ versionProfile: '1.33' }),
    ]);
  });
  suiteTeardown(async () => {
    await Promise.all([es256?.close(), old?.close(), v133?.close()]);
  });

  test('ES256 signing key: ES256 tokens and an EC JWK', async () => {
    const r = await call(es256, tr('build', 'ci-bot'), { body: { spec: { expirationSeconds: 86400 } } });
    assert.equal(decodeJwt(r.json.status.token).header.alg, 'ES256');
    const jwks = (await call(es256, '/openid/v1/jwks', { headers: jwkSet })).json;
    assert.deepEqual(Object.keys(jwks.keys[0]), ['use', 'kty', 'kid', 'crv', 'alg', 'x', 'y']);
    await jwtVerify(r.json.status.token, createLocalJWKSet(jwks));
  });

  test('8. Node binding gate off in 1.30: 400', async () => {
    const r = await call(old, tr('build', 'ci-bot'), { body: { spec: { boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'worker-1' } } } });
    assert.equal(r.status, 400);
    assert.equal(r.text, statusBody(400, 'BadRequest', 'cannot bind token to a Node object as the "ServiceAccountTokenNodeBinding" feature-gate is disabled') + '\n');
    const v = await call(old, '/version');
    assert.match(v.json.gitVersion, /^v1\.30\./);
  });

  test('4. before v1.34 the uid is wiped, unchecked and not echoed', async () => {
    const r = await call(v133, tr('build', 'ci-bot'), { body: { metadata: { uid: 'whatever' } } });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(Object.keys(r.json.metadata), ['name', 'namespace', 'creationTimestamp', 'managedFields']);
  });
});
