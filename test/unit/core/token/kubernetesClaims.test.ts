import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { kubernetesClaims } from '../../../../src/core/token/kubernetesClaims';
import { extendedClaims, issuedAtSeconds, legacyClaims, podBoundClaims } from '../../../fixtures/syntheticTokens';

suite('kubernetesClaims', () => {
  test('pod-bound token with node info', () => {
    assert.deepEqual(kubernetesClaims(podBoundClaims()), {
      kind: 'bound',
      namespace: 'build',
      serviceAccount: { name: 'ci-bot', uid: '00000000-0000-4000-8000-0000000000s1' },
      binding: { kind: 'Pod', name: 'runner-7', uid: '00000000-0000-4000-8000-0000000000p7' },
      node: { name: 'worker-1', uid: '00000000-0000-4000-8000-0000000000n1' },
    });
  });

  test('extended token exposes warnafter', () => {
    const result = kubernetesClaims(extendedClaims());
    assert.ok(result.kind === 'bound');
    assert.equal(result.warnAfter, issuedAtSeconds + 3607);
  });

  test('secret-bound, node-bound and unbound tokens', () => {
    const sa = { name: 'ci-bot', uid: 'u' };
    assert.deepEqual(kubernetesClaims({ 'kubernetes.io': { namespace: 'n', serviceaccount: sa, secret: { name: 's', uid: 'su' } } }),
      { kind: 'bound', namespace: 'n', serviceAccount: sa, binding: { kind: 'Secret', name: 's', uid: 'su' } });
    // A node claim without a pod is the binding itself, not "the node of the pod".
    assert.deepEqual(kubernetesClaims({ 'kubernetes.io': { namespace: 'n', serviceaccount: sa, node: { name: 'w' } } }),
      { kind: 'bound', namespace: 'n', serviceAccount: sa, binding: { kind: 'Node', name: 'w' } });
    assert.deepEqual(kubernetesClaims({ 'kubernetes.io': { namespace: 'n', serviceaccount: { name: 'x' } } }),
      { kind: 'bound', namespace: 'n', serviceAccount: { name: 'x' } });
  });

  test('legacy secret token with flat claims', () => {
    assert.deepEqual(kubernetesClaims(legacyClaims()), {
      kind: 'legacy', namespace: 'build', serviceAccount: { name: 'ci-bot', uid: '00000000-0000-4000-8000-0000000000s1' }, secretName: 'ci-bot-token',
    });
  });

  test('not a Kubernetes token', () => {
    assert.deepEqual(kubernetesClaims({ iss: 'https://accounts.example', sub: 'alice' }),
      { kind: 'not-kubernetes', reason: 'The token has no "kubernetes.io" claim; it was not issued by a Kubernetes API server for a service account.' });
    assert.deepEqual(kubernetesClaims({ sub: 'system:serviceaccount:a:b' }),
      { kind: 'not-kubernetes', reason: 'The subject names a service account, but the token has no "kubernetes.io" claim.' });
    for (const bad of [{ namespace: 'n' }, { serviceaccount: { name: 'x' } }, { namespace: 1, serviceaccount: { name: 'x' } }, { namespace: 'n', serviceaccount: 'x' }]) {
      assert.deepEqual(kubernetesClaims({ 'kubernetes.io': bad }),
        { kind: 'not-kubernetes', reason: 'The "kubernetes.io" claim lacks a namespace or service account name.' }, JSON.stringify(bad));
    }
    assert.equal(kubernetesClaims({ 'kubernetes.io': [1] }).kind, 'not-kubernetes');
  });

  test('ignores ill-typed optional parts', () => {
    const result = kubernetesClaims({ 'kubernetes.io': { namespace: 'n', serviceaccount: { name: 'x', uid: 5 }, pod: { uid: 'p' }, warnafter: 'soon' } });
    assert.deepEqual(result, { kind: 'bound', namespace: 'n', serviceAccount: { name: 'x' } });
  });
});
