import * as assert from 'node:assert/strict';
import { load } from 'js-yaml';
import { suite, test } from 'mocha';
import { formatKubeAge } from '../../../src/core/kubernetes/kubeAge';
import { toYaml } from '../../../src/core/kubectl/toYaml';
import { workloadIdentityBindings } from '../../../src/core/kubernetes/workloadIdentity';

suite('workloadIdentityBindings', () => {
  test('finds AWS, GKE and Azure bindings in provider order with short labels', () => {
    const got = workloadIdentityBindings({
      'azure.workload.identity/client-id': '00000000-1111-2222-3333-444444444444',
      'iam.gke.io/gcp-service-account': 'builder@my-proj.iam.gserviceaccount.com',
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/ci/deployer',
      'unrelated/annotation': 'x',
    });
    assert.deepEqual(
      got.map((b) => b.short),
      ['AWS: deployer', 'GKE: builder@my-proj', 'Azure: 00000000-1111-2222-3333-444444444444'],
    );
    assert.equal(got[0]!.value, 'arn:aws:iam::123456789012:role/ci/deployer');
  });

  test('ignores empty values and returns nothing without bindings', () => {
    assert.deepEqual(workloadIdentityBindings({ 'eks.amazonaws.com/role-arn': '  ' }), []);
    assert.deepEqual(workloadIdentityBindings({}), []);
  });
});

suite('formatKubeAge', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  const ago = (s: number) => new Date(now - s * 1000).toISOString();
  test('matches kubectl AGE buckets', () => {
    assert.equal(formatKubeAge(ago(45), now), '45s');
    assert.equal(formatKubeAge(ago(200), now), '3m20s');
    assert.equal(formatKubeAge(ago(60 * 42), now), '42m');
    assert.equal(formatKubeAge(ago(3600 * 5 + 600), now), '5h10m');
    assert.equal(formatKubeAge(ago(3600 * 30), now), '30h');
    assert.equal(formatKubeAge(ago(86400 * 3), now), '3d');
    assert.equal(formatKubeAge(ago(86400 * 100), now), '100d');
    assert.equal(formatKubeAge(ago(86400 * (365 * 2 + 40)), now), '2y40d');
  });
  test('is empty for a missing or invalid timestamp, and never negative', () => {
    assert.equal(formatKubeAge(undefined, now), '');
    assert.equal(formatKubeAge('not a date', now), '');
    assert.equal(formatKubeAge(new Date(now + 5000).toISOString(), now), '0s');
  });
});

suite('toYaml', () => {
  const object = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: 'ci-bot',
      namespace: 'build',
      creationTimestamp: '2025-01-02T03:04:05Z',
      annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x', note: 'line one\nline two\n', flag: 'true', num: '0755', empty: '' },
      labels: {},
    },
    secrets: [{ name: 'ci-bot-token' }, { name: 'other', extra: [1, 2] }],
    imagePullSecrets: [],
    automountServiceAccountToken: false,
    nothing: null,
    odd: ['- dash', 'a: b', ' lead', 'yes', '#hash'],
  };

  test('round-trips through a YAML parser', () => {
    assert.deepEqual(load(toYaml(object)), object);
  });

  test('uses kubectl layout: lists at the key indentation, quoted timestamps', () => {
    const text = toYaml(object);
    assert.match(text, /^apiVersion: v1\nkind: ServiceAccount\nmetadata:\n {2}name: ci-bot\n/);
    assert.match(text, /\nsecrets:\n- name: ci-bot-token\n- name: other\n {2}extra:\n {2}- 1\n {2}- 2\n/);
    assert.match(text, /creationTimestamp: "2025-01-02T03:04:05Z"/);
    assert.match(text, /flag: "true"/);
    assert.match(text, /imagePullSecrets: \[\]/);
    assert.match(text, /labels: \{\}/);
  });
});
