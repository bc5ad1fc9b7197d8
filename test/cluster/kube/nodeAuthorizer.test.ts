// SelfSubjectRulesReview with an authorizer that cannot list its rules (the Node authorizer, for a
// kubelet's identity): incomplete, with the evaluation error. Only the real control plane has it.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { describeRules } from '../../../src/core/inspector/inspectorView';
import { createClusterClient, loadKubeconfig } from '../../../src/kube/index';
import { startControlPlane, type ControlPlane } from '../../harness/controlPlane';

suite('kube-apiserver: rules that cannot be enumerated (Node authorizer)', () => {
  let cp: ControlPlane;
  suiteSetup(async () => {
    cp = await startControlPlane({ fixture: 'none' });
  });
  suiteTeardown(async () => cp?.close());

  test('a kubelet identity: incomplete with the evaluation error, shown as a warning', async () => {
    const client = createClusterClient(loadKubeconfig({ paths: cp.kubeconfigPath }), { context: 'kube-node' });
    try {
      assert.equal((await client.selfSubjectReview()).username, 'system:node:worker-1');
      const rules = await client.selfSubjectRulesReview('default');
      assert.equal(rules.incomplete, true);
      assert.match(rules.evaluationError ?? '', /node authorizer does not support user rule resolution/);
      const view = describeRules('default', rules);
      assert.equal(view.status, 'warn');
      assert.match(view.explanation ?? '', /incomplete/);
    } finally {
      client.dispose();
    }
  });
});
