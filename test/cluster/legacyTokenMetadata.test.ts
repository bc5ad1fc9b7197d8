// Legacy token Secrets are listed as metadata only: the tokens in their data are never downloaded.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { createClusterClient, loadKubeconfig } from '../../src/kube/index';
import { clusterKinds, startCluster, type TestCluster } from './clusters';
import { call } from './helpers';

const metadataList = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, application/json';

for (const kind of clusterKinds) {
  suite(`${kind}: legacy token Secrets as metadata only`, () => {
    let cluster: TestCluster;
    suiteSetup(async () => {
      cluster = await startCluster(kind);
    });
    suiteTeardown(async () => cluster?.close());

    test('the server answers a metadata-only list: names, labels and annotations, no data', async () => {
      const r = await call(cluster, '/api/v1/namespaces/build/secrets?fieldSelector=type%3Dkubernetes.io%2Fservice-account-token', { headers: { Accept: metadataList } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.kind, 'PartialObjectMetadataList');
      assert.equal(r.json.apiVersion, 'meta.k8s.io/v1');
      const item = r.json.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'ci-bot-token');
      assert.ok(item, JSON.stringify(r.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)));
      assert.equal(item.kind, 'PartialObjectMetadata');
      assert.equal(item.metadata.annotations['kubernetes.io/service-account.name'], 'ci-bot');
      assert.equal(item.data, undefined);
      assert.ok(!r.text.includes('"token"'), 'no token data in the response');
    });

    test('the client lists a service account\'s legacy tokens without their data', async () => {
      const client = createClusterClient(loadKubeconfig({ paths: cluster.kubeconfigPath }), { context: cluster.contexts.admin });
      try {
        const page = await client.listLegacyTokenSecrets('build');
        const ciBot = page.items.find((s) => s.name === 'ci-bot-token');
        assert.ok(ciBot);
        assert.equal(ciBot.type, 'kubernetes.io/service-account-token');
        assert.equal(ciBot.serviceAccountName, 'ci-bot');
        assert.ok(!('data' in ciBot), 'no data in the summary');
        assert.ok(page.items.every((s) => s.type === 'kubernetes.io/service-account-token'));
        const recorded = cluster.requests?.filter((q) => q.path.startsWith('/api/v1/namespaces/build/secrets'));
        if (recorded !== undefined) {
          // The sandbox records what the client asked for: the metadata-only format.
          assert.ok(recorded.some((q) => String(q.headers?.accept ?? '').includes('as=PartialObjectMetadataList')), JSON.stringify(recorded.map((q) => q.headers?.accept)));
        }
      } finally {
        client.dispose();
      }
    });
  });
}
