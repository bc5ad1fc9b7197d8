import * as assert from 'node:assert/strict';
import { load } from 'js-yaml';
import { suite, test } from 'mocha';
import { copyText, kubeconfigYaml, type CopyTarget } from '../../../../src/core/kubectl/copyAs';
import { fakeJwt, podBoundClaims } from '../../../fixtures/syntheticTokens';

const token = fakeJwt({ alg: 'RS256', kid: 'k1' }, podBoundClaims());
const caData = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
const withData: CopyTarget = { server: 'https://127.0.0.1:6443/', clusterName: 'sandbox', contextName: 'sandbox-admin', caData };
const withFile: CopyTarget = { server: 'https://10.0.0.1:6443', clusterName: 'prod', caFile: '/home/me/.kube/ca dir/ca.crt', caData };
const insecure: CopyTarget = { server: 'https://10.0.0.2:6443', clusterName: 'lab', insecure: true };

suite('copyAs', () => {
  test('raw token, header and export need no cluster', () => {
    assert.equal(copyText('token', token).text, token);
    assert.equal(copyText('header', token).text, `Authorization: Bearer ${token}`);
    assert.equal(copyText('export', token).text, `export TOKEN=${token}`);
  });

  test('export quotes a token that is not shell-safe', () => {
    assert.equal(copyText('export', "a'b c").text, `export TOKEN='a'\\''b c'`);
  });

  test('curl with CA data: --cacert ca.crt plus a line saying how to save it; never -k', () => {
    const { text, notes } = copyText('curl', token, withData);
    const [hint, line] = text.split('\n');
    assert.match(hint!, /^# Save the cluster CA first: kubectl config view --raw --minify --context sandbox-admin .*base64 -d > ca\.crt$/);
    assert.ok(line!.startsWith('curl --cacert ca.crt -X POST '), line);
    assert.ok(line!.includes(`'Authorization: Bearer ${token}'`));
    assert.ok(line!.endsWith(' https://127.0.0.1:6443/apis/authentication.k8s.io/v1/selfsubjectreviews'), line);
    assert.ok(!/\s-k\s/.test(text));
    assert.equal(notes.length, 1);
  });

  test('curl with a CA file uses it, quoted', () => {
    const { text } = copyText('curl', token, withFile);
    assert.ok(text.startsWith(`curl --cacert '/home/me/.kube/ca dir/ca.crt' -X POST`), text);
    assert.ok(!text.includes('\n'));
  });

  test('curl uses -k only when the kubeconfig is insecure', () => {
    const { text, notes } = copyText('curl', token, insecure);
    assert.ok(text.startsWith('curl -k -X POST'), text);
    assert.match(notes[0]!, /insecure-skip-tls-verify/);
  });

  test('kubectl --token bypasses the kubeconfig user', () => {
    assert.equal(
      copyText('kubectl', token, withFile).text,
      `kubectl --server=https://10.0.0.1:6443 '--certificate-authority=/home/me/.kube/ca dir/ca.crt' --token=${token} auth whoami`,
    );
    assert.equal(copyText('kubectl', token, insecure).text, `kubectl --server=https://10.0.0.2:6443 --insecure-skip-tls-verify --token=${token} auth whoami`);
  });

  test('proxy-url and tls-server-name travel into curl (--proxy, --connect-to) and kubectl (HTTPS_PROXY, --tls-server-name)', () => {
    const behind: CopyTarget = { ...withFile, proxyUrl: 'http://proxy.corp:3128', tlsServerName: 'api.internal' };
    assert.equal(
      copyText('curl', token, behind).text,
      `curl --cacert '/home/me/.kube/ca dir/ca.crt' --proxy http://proxy.corp:3128 --connect-to api.internal:6443:10.0.0.1:6443 -X POST -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/json' -d '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}' https://api.internal:6443/apis/authentication.k8s.io/v1/selfsubjectreviews`,
    );
    assert.equal(
      copyText('kubectl', token, behind).text,
      `HTTPS_PROXY=http://proxy.corp:3128 kubectl --server=https://10.0.0.1:6443 '--certificate-authority=/home/me/.kube/ca dir/ca.crt' --tls-server-name=api.internal --token=${token} auth whoami`,
    );
  });

  test('cluster formats without a cluster throw a clear error', () => {
    assert.throws(() => copyText('curl', token), /needs a cluster/);
    assert.throws(() => copyText('kubeconfig', token), /"Kubeconfig for the service account" needs a cluster/);
  });

  test('kubeconfig: cluster with CA data, user with the token, context in the SA namespace', () => {
    const yaml = kubeconfigYaml(token, withFile, { namespace: 'build', serviceAccount: 'ci-bot' });
    assert.match(yaml, /^# Kubeconfig for a service-account token\. It holds a credential/);
    assert.deepEqual(load(yaml), {
      apiVersion: 'v1',
      kind: 'Config',
      // Embedded data wins over the file path.
      clusters: [{ name: 'prod', cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': caData } }],
      users: [{ name: 'system:serviceaccount:build:ci-bot', user: { token } }],
      contexts: [{ name: 'ci-bot@prod', context: { cluster: 'prod', user: 'system:serviceaccount:build:ci-bot', namespace: 'build' } }],
      'current-context': 'ci-bot@prod',
    });
  });

  test('kubeconfig for an insecure cluster says so; no CA', () => {
    const config = load(kubeconfigYaml(token, insecure)) as { clusters: { cluster: Record<string, unknown> }[]; 'current-context': string };
    assert.deepEqual(config.clusters[0]!.cluster, { server: 'https://10.0.0.2:6443', 'insecure-skip-tls-verify': true });
    assert.equal(config['current-context'], 'token@lab');
  });
});
