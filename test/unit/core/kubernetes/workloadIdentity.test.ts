import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { workloadIdentityBindings } from '../../../../src/core/kubernetes/workloadIdentity';

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
