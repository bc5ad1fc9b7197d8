// kubectl of the real control plane's release against both servers: the sandbox must serve it as the real one does.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { ensureControlPlaneBinaries } from '../harness/controlPlane';
import type { RecordedRequest } from '../sandbox/sandbox';
import { clusterKinds, startCluster, type TestCluster } from './clusters';
import { call, decodeJwt, jwkSet, kubectl } from './helpers';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
for (const kind of clusterKinds) {
  suite(`kubectl against ${kind}`, function () {
    let sb: TestCluster;
    let bin: string;
    let jwks: ReturnType<typeof createLocalJWKSet>;
    let clientMinor = 0;
    const k = (...args: string[]) => kubectl(bin, sb, args);
    /** The sandbox records what kubectl sent; the real server's answers are checked on both. */
    const lastTokenRequest = (): RecordedRequest | undefined => sb.requests && [...sb.requests].reverse().find((r) => r.method === 'POST' && r.path.endsWith('/token'))!;

    suiteSetup(async function () {
      bin = (await ensureControlPlaneBinaries()).kubectl;
      sb = await startCluster(kind);
      jwks = createLocalJWKSet((await call(sb, '/openid/v1/jwks', { headers: jwkSet })).json);
      const v = await kubectl(bin, sb, ['version', '--client', '-o', 'json']);
      clientMinor = Number(JSON.parse(v.stdout).clientVersion.minor.replace(/\D/g, ''));
    });
    suiteTeardown(async () => sb?.close());

    test('get sa -A: paged list (limit=500, Table), then --chunk-size follows continue tokens', async () => {
      const r = await k('get', 'sa', '-A');
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.match(lines[0], /^NAMESPACE\s+NAME\s+AGE$/);
      assert.ok(lines.some((l) => /^build\s+ci-bot\s+\d+[smhd]$/.test(l)), r.stdout);
      const before = sb.requests?.length ?? 0;
      const paged = await k('get', 'sa', '-A', '--chunk-size', '4');
      assert.equal(paged.code, 0, paged.stderr);
      // Ages may tick between the two calls; names and order may not.
      const rows = (out: string) => out.trim().split('\n').map((l) => l.split(/\s+/).slice(0, 2).join(' '));
      assert.deepEqual(rows(paged.stdout), rows(r.stdout));
      if (sb.requests) {
        const list = sb.requests.find((q) => q.path === '/api/v1/serviceaccounts')!;
        assert.equal(list.query.limit, '500');
        assert.match(list.headers.accept, /as=Table/);
        const pages = sb.requests.slice(before).filter((q) => q.path === '/api/v1/serviceaccounts');
        assert.ok(pages.length >= 5, `pages: ${pages.length}`);
        assert.ok(pages.slice(1).every((q) => typeof q.query.continue === 'string'));
      }
    });

    test('get pods -n build', async () => {
      const r = await k('get', 'pods', '-n', 'build');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
      assert.match(r.stdout, /runner-7\s+1\/1\s+Running\s+0\s+\d+[smhd]/);
      assert.match(r.stdout, /runner-8\s+0\/1\s+Pending/);
    });

    test('create token: bare token with the defaults; exact request body recorded', async () => {
      const r = await k('create', 'token', 'ci-bot', '-n', 'build');
      assert.equal(r.code, 0, r.stderr);
      const token = r.stdout.trim();
      assert.equal(r.stdout, token, 'no trailing newline when stdout is not a TTY');
      const { payload } = await jwtVerify(token, jwks, { issuer: ISSUER, audience: ISSUER });
      assert.equal(Number(payload.exp) - Number(payload.iat), 3600);
      assert.equal(payload.sub, 'system:serviceaccount:build:ci-bot');
      const req = lastTokenRequest();
      if (!req) {return;}
      assert.deepEqual(req.query, {});
      assert.equal(req.status, 201);
      assert.deepEqual(req.body, {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: clientMinor >= 34 ? {} : { creationTimestamp: null },
        spec: { audiences: null, expirationSeconds: null, boundObjectRef: null },
        status: { token: '', expirationTimestamp: null },
      });
      assert.match(req.headers['user-agent'], /^kubectl\/v1\.\d+/);
    });

    test('create token with repeated --audience, --duration and a bound Pod (no uid sent)', async () => {
      const r = await k('create', 'token', 'ci-bot', '-n', 'build', '--audience', 'https://vault.example', '--audience', 'sts.amazonaws.com', '--duration', '2h', '--bound-object-kind', 'Pod', '--bound-object-name', 'runner-7');
      assert.equal(r.code, 0, r.stderr);
      const { payload } = await jwtVerify(r.stdout.trim(), jwks, { issuer: ISSUER, audience: 'sts.amazonaws.com' });
      assert.deepEqual(payload.aud, ['https://vault.example', 'sts.amazonaws.com']);
      assert.equal(Number(payload.exp) - Number(payload.iat), 7200);
      const pod = (await call(sb, '/api/v1/namespaces/build/pods/runner-7')).json;
      const kc = payload['kubernetes.io'] as any;
      assert.deepEqual(kc.pod, { name: 'runner-7', uid: pod.metadata.uid });
      assert.equal(kc.node.name, 'worker-1');
      if (lastTokenRequest()) {assert.deepEqual((lastTokenRequest()!.body as any).spec, {
        audiences: ['https://vault.example', 'sts.amazonaws.com'],
        expirationSeconds: 7200,
        boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'runner-7' },
      });}
    });

    test('create token bound to a Pod/Secret/Node with --bound-object-uid', async () => {
      const targets: [string, string, string][] = [
        ['Pod', 'runner-7', '/api/v1/namespaces/build/pods/runner-7'],
        ['Secret', 'vault-config', '/api/v1/namespaces/build/secrets/vault-config'],
        ['Node', 'worker-2', '/api/v1/nodes/worker-2'],
      ];
      for (const [kind, name, path] of targets) {
        const uid = (await call(sb, path)).json.metadata.uid;
        const r = await k('create', 'token', 'ci-bot', '-n', 'build', '--bound-object-kind', kind, '--bound-object-name', name, '--bound-object-uid', uid, '-o', 'json');
        assert.equal(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        assert.deepEqual(out.spec.boundObjectRef, { kind, apiVersion: 'v1', name, uid });
        const { payload } = await jwtVerify(out.status.token, jwks, { issuer: ISSUER });
        assert.deepEqual((payload['kubernetes.io'] as any)[kind.toLowerCase()], { name, uid });
        if (lastTokenRequest()) {assert.deepEqual((lastTokenRequest()!.body as any).spec.boundObjectRef, { kind, apiVersion: 'v1', name, uid });}
      }
    });

    test('create token errors: --duration 1m reaches the server; wrong uid; missing pod', async () => {
      const r = await k('create', 'token', 'ci-bot', '-n', 'build', '--duration', '1m');
      assert.equal(r.code, 1);
      assert.equal(r.stderr, 'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes\n');
      if (lastTokenRequest()) {assert.equal((lastTokenRequest()!.body as any).spec.expirationSeconds, 60);}
      const u = await k('create', 'token', 'ci-bot', '-n', 'build', '--bound-object-kind', 'Pod', '--bound-object-name', 'runner-7', '--bound-object-uid', 'stale');
      assert.equal(u.stderr, 'error: failed to create token: Operation cannot be fulfilled on Pod "runner-7": the UID in the bound object reference (stale) does not match the UID in record. The object might have been deleted and then recreated\n');
      const m = await k('create', 'token', 'ci-bot', '-n', 'build', '--bound-object-kind', 'Pod', '--bound-object-name', 'gone');
      assert.equal(m.stderr, 'error: failed to create token: pods "gone" not found\n');
      const sa = await k('create', 'token', 'ghost', '-n', 'build');
      assert.equal(sa.stderr, 'error: failed to create token: serviceaccounts "ghost" not found\n');
    });

    test('auth whoami for cert, exec-plugin and SA-token users', async () => {
      const r = await k('auth', 'whoami');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Username\s+sandbox-admin/);
      assert.match(r.stdout, /Groups\s+\[system:masters system:authenticated\]/);
      const e = await k('--context', sb.contexts.exec, 'auth', 'whoami', '-o', 'json');
      assert.equal(e.code, 0, e.stderr);
      assert.equal(JSON.parse(e.stdout).status.userInfo.username, 'sandbox-exec');
      const token = (await k('create', 'token', 'ci-bot', '-n', 'build', '--bound-object-kind', 'Pod', '--bound-object-name', 'runner-7')).stdout.trim();
      // a client cert would win over --token (x509 runs first), so use a token-only user
      const s = await k('--context', sb.contexts.expired, '--token', token, 'auth', 'whoami');
      assert.match(s.stdout, /Username\s+system:serviceaccount:build:ci-bot/);
      assert.match(s.stdout, /Extra: authentication.kubernetes.io\/pod-name\s+\[runner-7\]/);
    });

    test('auth can-i --list (limited user in its default namespace) and can-i', async () => {
      const r = await k('--context', sb.contexts.limited, 'auth', 'can-i', '--list');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs/);
      assert.match(r.stdout, /serviceaccounts\/token\s+\[\]\s+\[\]\s+\[create\]/);
      assert.match(r.stdout, /serviceaccounts\s+\[\]\s+\[\]\s+\[get list watch\]/);
      if (sb.requests) {
        const ssrr = [...sb.requests].reverse().find((q) => q.path.endsWith('/selfsubjectrulesreviews'))!;
        assert.equal((ssrr.body as any).spec.namespace, 'build');
      }
      const no = await k('--context', sb.contexts.limited, 'auth', 'can-i', 'list', 'namespaces');
      assert.equal(no.stdout.trim(), 'no');
      const yes = await k('--context', sb.contexts.limited, 'auth', 'can-i', 'list', 'serviceaccounts');
      assert.equal(yes.stdout.trim(), 'yes');
    });

    test('get --raw /openid/v1/jwks returns the JWKS; tokens verify against it', async () => {
      const r = await k('get', '--raw', '/openid/v1/jwks');
      assert.equal(r.code, 0, r.stderr);
      const set = JSON.parse(r.stdout);
      assert.deepEqual(set, (await call(sb, '/openid/v1/jwks', { headers: jwkSet })).json);
      const token = (await k('create', 'token', 'deployer', '-n', 'build')).stdout.trim();
      await jwtVerify(token, createLocalJWKSet(set), { issuer: ISSUER });
      const limited = await k('--context', sb.contexts.limited, 'get', '--raw', '/openid/v1/jwks');
      assert.equal(limited.code, 1);
      assert.match(limited.stderr, /Error from server \(Forbidden\): forbidden: User "jane" cannot get path "\/openid\/v1\/jwks"/);
    });

    test('create -f a TokenReview (validation off: the sandbox serves no OpenAPI)', async () => {
      const token = (await k('create', 'token', 'ci-bot', '-n', 'build', '--bound-object-kind', 'Pod', '--bound-object-name', 'runner-7')).stdout.trim();
      const file = join(sb.dataDir, 'tokenreview.json');
      writeFileSync(file, JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }));
      const r = await k('create', '-f', file, '-o', 'json', '--validate=false');
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.status.authenticated, true);
      assert.equal(out.status.user.username, 'system:serviceaccount:build:ci-bot');
      assert.deepEqual(out.status.user.extra['authentication.kubernetes.io/pod-name'], ['runner-7']);
      assert.equal(decodeJwt(out.spec.token).payload.jti, out.status.user.extra['authentication.kubernetes.io/credential-id'][0].slice(4));
    });

    test('other contexts: insecure works, expired is Unauthorized, unreachable is refused', async () => {
      const ins = await k('--context', sb.contexts.insecure, 'get', 'ns', 'build');
      assert.equal(ins.code, 0, ins.stderr);
      const exp = await k('--context', sb.contexts.expired, 'get', 'ns');
      assert.equal(exp.code, 1);
      assert.match(exp.stderr, /error: You must be logged in to the server \(Unauthorized\)/);
      const un = await k('--context', sb.contexts.unreachable, 'get', 'ns', '--request-timeout', '5s');
      assert.equal(un.code, 1);
      assert.match(un.stderr, /connect: connection refused/);
    });
  });
}
