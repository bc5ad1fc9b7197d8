import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import { suite, test } from 'mocha';
import { TokenError } from '../../../src/core/errors';
import { decodeToken } from '../../../src/core/token/decodeToken';
import type { InspectorCluster } from '../../../src/inspector/inspectorCluster';
import { InspectorSession, type PanelContent } from '../../../src/inspector/inspectorSession';
import type { HostToPanel } from '../../../src/inspector/protocol';
import type { ClusterClient } from '../../../src/kube/clusterClient';
import { FakeClusterClient } from '../../fakes/fakeClusterClient';

const issuer = 'https://kubernetes.default.svc';

async function signingKey(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...(await exportJWK(publicKey)), kty: 'RSA', kid, alg: 'RS256', use: 'sig' };
  const sign = (serviceAccount: string) => new SignJWT({ 'kubernetes.io': { namespace: 'build', serviceaccount: { name: serviceAccount, uid: `uid-${serviceAccount}` } } })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(issuer)
    .setSubject(`system:serviceaccount:build:${serviceAccount}`)
    .setAudience(issuer)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  return { jwk, sign };
}

function unsigned(serviceAccount: string): string {
  const claims = { iss: issuer, sub: `system:serviceaccount:build:${serviceAccount}`, 'kubernetes.io': { namespace: 'build', serviceaccount: { name: serviceAccount, uid: 'u' } } };
  return `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
}

function content(token: string): PanelContent {
  return { kind: 'token', decoded: decodeToken(token), token, source: 'input' };
}

function setup(initial: PanelContent, cluster: FakeClusterClient) {
  const posted: HostToPanel[] = [];
  const delivered: { format: string; text: string }[] = [];
  const warnings: string[] = [];
  let clusterUnavailable: unknown;
  let cancelDelivery = false;
  const session = new InspectorSession('key', {
    clusters: {
      cluster: async (): Promise<InspectorCluster> => {
        if (clusterUnavailable !== undefined) {
          throw clusterUnavailable;
        }
        return { client: cluster as unknown as ClusterClient, contextName: 'dev' };
      },
    },
    log: { warn: (message) => warnings.push(message) },
    now: Date.now,
    post: (message) => posted.push(message),
    deliver: async (format, text) => {
      if (cancelDelivery) {
        return undefined;
      }
      delivered.push({ format, text });
      return [];
    },
    copyTarget: async () => ({ server: 'https://127.0.0.1:6443', clusterName: 'dev', contextName: 'dev' }),
    decodeAnother: () => {},
  }, initial);
  return { session, posted, delivered, warnings, setClusterUnavailable: (e: unknown) => (clusterUnavailable = e), cancelDelivery: () => (cancelDelivery = true) };
}

suite('inspector: InspectorSession (fake cluster)', () => {
  test('a token signed by a key the cluster publishes is verified; the page gets the view, then the verdict', async () => {
    const key = await signingKey('k1');
    const cluster = new FakeClusterClient();
    cluster.jwks = { keys: [key.jwk] };
    const { session, posted } = setup(content(await key.sign('ci-bot')), cluster);
    await session.settled();
    assert.equal(session.state().verification?.state, 'verified');
    await session.handleMessage({ type: 'ready' });
    assert.deepEqual(posted.map((m) => m.type), ['render', 'verification']);
    assert.equal(session.state().view?.identity.serviceAccount, 'ci-bot');
  });

  test('a token the cluster did not sign is refused', async () => {
    const ours = await signingKey('k1');
    const other = await signingKey('k1');
    const cluster = new FakeClusterClient();
    cluster.jwks = { keys: [ours.jwk] };
    const { session } = setup(content(await other.sign('ci-bot')), cluster);
    await session.settled();
    assert.equal(session.state().verification?.state, 'invalid-signature');
  });

  test('a verification still running when the content changes is not shown on the new token', async () => {
    const key = await signingKey('k1');
    const cluster = new FakeClusterClient();
    cluster.jwks = { keys: [key.jwk] };
    const release = cluster.hold('getJwks');
    const { session } = setup(content(await key.sign('first')), cluster);
    await new Promise((resolve) => setImmediate(resolve));
    // A renewal (or another decode) replaces the content while the first token's keys are still loading;
    // the new one is settled at once (unsigned: no network), and only then do the keys arrive.
    session.setContent(content(unsigned('second')));
    await session.settled();
    assert.equal(session.state().verification?.state, 'unsupported-algorithm');
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(session.state().view?.identity.serviceAccount, 'second');
    assert.equal(session.state().verification?.state, 'unsupported-algorithm', 'the first token\'s "verified" must not land on the second');
  });

  test('"Verify again" during an outage keeps the earlier success and says the re-check failed', async () => {
    const key = await signingKey('k1');
    const cluster = new FakeClusterClient();
    cluster.jwks = { keys: [key.jwk] };
    const { session, posted } = setup(content(await key.sign('ci-bot')), cluster);
    await session.settled();
    await session.handleMessage({ type: 'ready' });
    cluster.failNext('getOpenIdConfiguration', new TokenError('ERR_UNREACHABLE', 'connect ECONNREFUSED 127.0.0.1:6443'));
    await session.handleMessage({ type: 'verify' });
    const verification = session.state().verification!;
    assert.equal(verification.state, 'verified');
    assert.match(verification.title, /last verified at .+/);
    assert.match(verification.detail, /^Re-check failed: Cannot fetch the cluster's signing keys\. connect ECONNREFUSED/);
    assert.equal(posted.filter((m) => m.type === 'verification').at(-1)?.type, 'verification');
  });

  test('without an earlier success, a failed check says UNVERIFIED', async () => {
    const key = await signingKey('k1');
    const cluster = new FakeClusterClient();
    const { session, setClusterUnavailable } = setup(content(await key.sign('ci-bot')), cluster);
    await session.settled();
    setClusterUnavailable(new TokenError('ERR_KUBECONFIG_MISSING', 'No kubeconfig.'));
    await session.handleMessage({ type: 'verify' });
    assert.equal(session.state().verification?.state, 'no-cluster');
    assert.match(session.state().verification!.detail, /UNVERIFIED/);
  });

  test('an unsigned token is refused without asking the cluster', async () => {
    const cluster = new FakeClusterClient();
    const { session } = setup(content(unsigned('b')), cluster);
    await session.settled();
    assert.equal(session.state().verification?.state, 'unsupported-algorithm');
    assert.deepEqual(cluster.calls, []);
  });

  test('messages from the page are checked: a malformed one is dropped and logged without its content', async () => {
    const key = await signingKey('k1');
    const { session, posted, warnings } = setup(content(await key.sign('ci-bot')), new FakeClusterClient());
    await session.handleMessage({ type: 'exfiltrate', token: 'eyJhbGciOiJSUzI1NiJ9.payload.sig' });
    await session.handleMessage({ type: 'copy', format: 'everything' });
    assert.deepEqual(posted, []);
    assert.equal(warnings.length, 2);
    assert.ok(warnings.every((w) => !w.includes('eyJ')));
  });

  test('Reveal sends the token only when asked; Copy As hands the text to the host', async () => {
    const key = await signingKey('k1');
    const token = await key.sign('ci-bot');
    const { session, posted, delivered } = setup(content(token), new FakeClusterClient());
    assert.ok(!JSON.stringify(posted).includes(token));
    await session.handleMessage({ type: 'reveal' });
    assert.deepEqual(posted.at(-1), { type: 'revealed', token });
    await session.handleMessage({ type: 'copy', format: 'header' });
    assert.deepEqual(delivered, [{ format: 'header', text: `Authorization: Bearer ${token}` }]);
    assert.equal(session.state().lastCopy?.ok, true);
  });

  test('Copy As cancelled by the user (the save dialog): nothing delivered, reported as cancelled, not as an error', async () => {
    const key = await signingKey('k1');
    const token = await key.sign('ci-bot');
    const { session, posted, delivered, cancelDelivery } = setup(content(token), new FakeClusterClient());
    cancelDelivery();
    await session.handleMessage({ type: 'copy', format: 'kubeconfig' });
    assert.deepEqual(delivered, []);
    assert.deepEqual(session.state().lastCopy, { format: 'kubeconfig', ok: false, notes: [], message: 'Cancelled: nothing was saved.', cancelled: true });
    assert.deepEqual(posted.at(-1), { type: 'copyFailed', format: 'kubeconfig', message: 'Cancelled: nothing was saved.' });
  });
});
