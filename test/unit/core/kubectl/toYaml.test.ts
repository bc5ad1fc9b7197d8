import * as assert from 'node:assert/strict';
import { load } from 'js-yaml';
import { suite, test } from 'mocha';
import { toYaml } from '../../../../src/core/kubectl/toYaml';

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
