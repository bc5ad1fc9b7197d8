import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { clusterChange, describeClusterChange, issuerChange, normalizeServer } from '../../../../src/core/expiry/clusterIdentity';

const a = { cluster: 'kind-dev', server: 'https://127.0.0.1:40123' };

suite('core/expiry: cluster identity of a renewal', () => {
  test('the same cluster name and server is no change, whatever the URL\'s spelling', () => {
    assert.equal(clusterChange('kind-dev', a, { ...a }), undefined);
    assert.equal(clusterChange('ctx', { cluster: 'c', server: 'https://API.example.com:443/' }, { cluster: 'c', server: 'https://api.example.com' }), undefined);
    assert.equal(normalizeServer('https://h:6443/prefix/'), 'https://h:6443/prefix');
  });

  test('a recreated kind cluster (new port) is a change, named with both servers', () => {
    const change = clusterChange('kind-dev', a, { cluster: 'kind-dev', server: 'https://127.0.0.1:40999' });
    assert.ok(change);
    assert.equal(describeClusterChange(change), 'Context "kind-dev" now points at https://127.0.0.1:40999, but this token was issued by https://127.0.0.1:40123.');
  });

  test('another cluster entry behind the same server URL is a change too', () => {
    const change = clusterChange('minikube', { cluster: 'minikube', server: 'https://192.168.49.2:8443' }, { cluster: 'minikube-2', server: 'https://192.168.49.2:8443' });
    assert.ok(change);
    assert.match(describeClusterChange(change), /now points at cluster "minikube-2" \(https:\/\/192\.168\.49\.2:8443\), but this token was issued by cluster "minikube"/);
  });

  test('another issuer is a change; the same issuer, or a token without one, is not', () => {
    assert.match(issuerChange('kind-dev', 'https://a', 'https://b') ?? '', /issued by https:\/\/b, not by https:\/\/a .*context "kind-dev"/);
    assert.equal(issuerChange('kind-dev', 'https://a', 'https://a'), undefined);
    assert.equal(issuerChange('kind-dev', undefined, 'https://a'), undefined);
  });
});
