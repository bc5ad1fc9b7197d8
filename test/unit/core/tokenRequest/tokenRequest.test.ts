import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { buildTokenRequestBody, buildTokenRequestQuery, tokenRequestPath, validateTokenRequestOptions } from '../../../../src/core/tokenRequest/tokenRequest';
import type { TokenRequestOptions } from '../../../../src/core/tokenRequest/tokenRequest';

const base: TokenRequestOptions = { namespace: 'build', serviceAccount: 'ci-bot', audiences: [] };

suite('buildTokenRequestBody', () => {
  test('no options: exactly the kubectl body, byte for byte', () => {
    assert.equal(JSON.stringify(buildTokenRequestBody(base)),
      '{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{},"spec":{"audiences":null,"expirationSeconds":null,"boundObjectRef":null},"status":{"token":"","expirationTimestamp":null}}');
  });

  test('legacy style adds creationTimestamp null like kubectl v1.33 and older', () => {
    assert.equal(JSON.stringify(buildTokenRequestBody(base, { legacyCreationTimestamp: true }).metadata), '{"creationTimestamp":null}');
  });

  test('all spec options, in kubectl key order', () => {
    const body = buildTokenRequestBody({ ...base, audiences: ['a', 'https://vault.example'], expirationSeconds: 5400, boundObject: { kind: 'Pod', name: 'runner-7', uid: 'u-1' } });
    assert.equal(JSON.stringify(body.spec),
      '{"audiences":["a","https://vault.example"],"expirationSeconds":5400,"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"runner-7","uid":"u-1"}}');
  });

  test('uid only when given; 0 seconds sends null like kubectl', () => {
    const body = buildTokenRequestBody({ ...base, expirationSeconds: 0, boundObject: { kind: 'Secret', name: 's1' } });
    assert.equal(JSON.stringify(body.spec), '{"audiences":null,"expirationSeconds":null,"boundObjectRef":{"kind":"Secret","apiVersion":"v1","name":"s1"}}');
    const emptyUid = buildTokenRequestBody({ ...base, boundObject: { kind: 'Node', name: 'worker-1', uid: '' } });
    assert.equal(JSON.stringify(emptyUid.spec.boundObjectRef), '{"kind":"Node","apiVersion":"v1","name":"worker-1"}');
  });

  test('query-only options never leak into the body', () => {
    const plain = JSON.stringify(buildTokenRequestBody(base));
    assert.equal(JSON.stringify(buildTokenRequestBody({ ...base, dryRun: true, fieldManager: 'fm', fieldValidation: 'Strict', pretty: true })), plain);
  });

  test('the body does not alias the caller\'s audiences array', () => {
    const audiences = ['a'];
    const body = buildTokenRequestBody({ ...base, audiences });
    body.spec.audiences!.push('b');
    assert.deepEqual(audiences, ['a']);
  });
});

suite('buildTokenRequestQuery', () => {
  test('omits unset options', () => {
    assert.deepEqual(buildTokenRequestQuery(base), {});
    assert.deepEqual(buildTokenRequestQuery({ ...base, dryRun: false, pretty: false, fieldManager: '' }), {});
  });

  test('sets dryRun=All, fieldManager, fieldValidation, pretty=true in order', () => {
    const query = buildTokenRequestQuery({ ...base, dryRun: true, fieldManager: 'sa-tokens', fieldValidation: 'Strict', pretty: true });
    assert.deepEqual(Object.entries(query), [['dryRun', 'All'], ['fieldManager', 'sa-tokens'], ['fieldValidation', 'Strict'], ['pretty', 'true']]);
  });
});

suite('tokenRequestPath', () => {
  test('builds the subresource path', () => {
    assert.equal(tokenRequestPath(base), '/api/v1/namespaces/build/serviceaccounts/ci-bot/token');
    assert.equal(tokenRequestPath({ namespace: 'a b', serviceAccount: 'x/y' }), '/api/v1/namespaces/a%20b/serviceaccounts/x%2Fy/token');
  });
});

suite('validateTokenRequestOptions', () => {
  test('accepts valid options', () => {
    assert.deepEqual(validateTokenRequestOptions({
      ...base, audiences: ['https://vault.example'], expirationSeconds: 600, boundObject: { kind: 'Pod', name: 'runner-7.x', uid: 'abc' },
      dryRun: true, fieldManager: 'kube-sa-tokens é', fieldValidation: 'Warn', pretty: true,
    }), []);
  });

  test('requires names (kubectl)', () => {
    assert.deepEqual(validateTokenRequestOptions({ ...base, namespace: '', serviceAccount: '' }), [
      { field: 'namespace', message: 'Namespace is required.' },
      { field: 'serviceAccount', message: 'Service account name is required.' },
    ]);
  });

  test('checks name syntax like the server', () => {
    const problems = validateTokenRequestOptions({ ...base, namespace: 'Build.ns', serviceAccount: 'CI_bot' });
    assert.deepEqual(problems.map((p) => p.field), ['namespace', 'serviceAccount']);
    assert.equal(problems[0]!.message, 'Namespace "Build.ns" is invalid: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')');
    assert.match(problems[1]!.message, /^Service account name "CI_bot" is invalid: a lowercase RFC 1123 subdomain must consist of/);
    assert.deepEqual(validateTokenRequestOptions({ ...base, namespace: 'n'.repeat(64) }),
      [{ field: 'namespace', message: `Namespace "${'n'.repeat(64)}" is invalid: must be no more than 63 characters` }]);
    assert.deepEqual(validateTokenRequestOptions({ ...base, serviceAccount: 's'.repeat(254) }),
      [{ field: 'serviceAccount', message: `Service account name "${'s'.repeat(254)}" is invalid: must be no more than 253 characters` }]);
  });

  test('rejects empty or whitespace audiences', () => {
    assert.deepEqual(validateTokenRequestOptions({ ...base, audiences: ['', 'a b'] }), [
      { field: 'audiences', message: 'Audience 1 is empty (kubectl: --audience must not be an empty string).' },
      { field: 'audiences', message: 'Audience "a b" contains whitespace.' },
    ]);
  });

  test('applies the server expiration rules', () => {
    assert.deepEqual(validateTokenRequestOptions({ ...base, expirationSeconds: 60 }),
      [{ field: 'expirationSeconds', message: 'spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes' }]);
    assert.deepEqual(validateTokenRequestOptions({ ...base, expirationSeconds: 2 ** 32 + 1 }),
      [{ field: 'expirationSeconds', message: 'spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds' }]);
  });

  test('checks the bound object', () => {
    const kind = 'ConfigMap' as unknown as 'Pod';
    assert.deepEqual(validateTokenRequestOptions({ ...base, boundObject: { kind, name: 'cm' } }),
      [{ field: 'boundObject', message: 'Cannot bind a token to a ConfigMap; the kind must be Pod, Secret or Node.' }]);
    assert.deepEqual(validateTokenRequestOptions({ ...base, boundObject: { kind: 'Pod', name: '' } }),
      [{ field: 'boundObject', message: 'Bound Pod name is required.' }]);
    assert.equal(validateTokenRequestOptions({ ...base, boundObject: { kind: 'Secret', name: 'a/b' } })[0]!.message.startsWith('Bound Secret name "a/b" is invalid: a lowercase RFC 1123 subdomain'), true);
    assert.deepEqual(validateTokenRequestOptions({ ...base, boundObject: { kind: 'Node', name: 'n', uid: ' ' } }),
      [{ field: 'boundObject', message: 'Bound object uid " " is invalid; leave it out or use the object\'s metadata.uid.' }]);
  });

  test('fieldManager: at most 128 bytes, printable only', () => {
    assert.deepEqual(validateTokenRequestOptions({ ...base, fieldManager: 'm'.repeat(128) }), []);
    assert.deepEqual(validateTokenRequestOptions({ ...base, fieldManager: 'm'.repeat(129) }),
      [{ field: 'fieldManager', message: 'fieldManager must be no more than 128 characters.' }]);
    assert.deepEqual(validateTokenRequestOptions({ ...base, fieldManager: 'é'.repeat(65) }),
      [{ field: 'fieldManager', message: 'fieldManager must be no more than 128 characters.' }]);
    for (const bad of ['a\tb', 'a\nb', 'a\u0000', 'a\u00a0b', 'x\u200b']) {
      assert.deepEqual(validateTokenRequestOptions({ ...base, fieldManager: bad }),
        [{ field: 'fieldManager', message: 'fieldManager must only contain printable characters.' }], JSON.stringify(bad));
    }
  });

  test('fieldValidation must be Strict, Warn or Ignore', () => {
    const value = 'strict' as unknown as 'Strict';
    assert.deepEqual(validateTokenRequestOptions({ ...base, fieldValidation: value }),
      [{ field: 'fieldValidation', message: 'fieldValidation must be Strict, Warn or Ignore, not "strict".' }]);
  });
});
