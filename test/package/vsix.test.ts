import * as assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import { makeTempDir, removeTempDir } from '../harness/tempDirs';
import { repoRoot } from '../harness/paths';
import { run } from '../harness/processes';
import { walkthroughMediaFiles, walkthroughsOf } from '../unit/walkthroughManifest';

const vsixPath = join(repoRoot, 'dist', 'package', 'kube-sa-tokens.vsix');

/** Runs `body` on the VSIX unpacked into a temp folder (removed afterwards), as the host would install it. */
async function withExtractedVsix(prefix: string, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = makeTempDir(prefix);
  try {
    await run('python3', ['-c', 'import sys,zipfile;zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', vsixPath, dir]);
    await body(dir);
  } finally {
    removeTempDir(dir);
  }
}

suite('VSIX package', () => {
  let entries: string[] = [];

  suiteSetup(async () => {
    // A VSIX is a zip; `unzip -Z1` lists its entries without extracting.
    const { stdout } = await run('python3', ['-c', 'import sys,zipfile;print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsixPath]);
    entries = stdout.split('\n').filter(Boolean);
    const bytes = statSync(vsixPath).size;
    process.stdout.write(`      VSIX: ${entries.length} files, ${(bytes / 1024).toFixed(1)} KiB\n`);
  });

  test('ships the bundle, media, README, CHANGELOG, LICENSE and the manifest', () => {
    // vsce lower-cases readme.md and changelog.md and renames LICENSE to LICENSE.txt.
    const lowered = entries.map((e) => e.toLowerCase());
    for (const required of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/yaml.js', 'extension/dist/jose.js', 'extension/dist/kube/index.js', 'extension/dist/kube/gen/index.js', 'extension/dist/kube/socks.js', 'extension/dist/webview/main.js', 'extension/readme.md', 'extension/changelog.md', 'extension/license.txt', 'extension/media/icon.png']) {
      assert.ok(lowered.includes(required), `${required} is in the VSIX (has: ${entries.join(', ')})`);
    }
  });

  test('ships every file a walkthrough step shows', () => {
    const media = walkthroughMediaFiles(walkthroughsOf(repoRoot)).map((f) => `extension/${f}`);
    assert.ok(media.length > 0);
    assert.deepEqual(media.filter((f) => !entries.includes(f)), []);
  });

  test('ships no sources, tests, source maps or node_modules', () => {
    const offending = entries.filter((e) => /^extension\/(src|test|node_modules|dist\/test|\.vscode-test|test-results)\/|\.map$|\.ts$|tsconfig/.test(e));
    assert.deepEqual(offending, []);
  });

  test('every file is either VSIX metadata or under an allowed top-level path', () => {
    const allowed = /^(\[Content_Types\]\.xml|extension\.vsixmanifest|extension\/(dist\/(extension\.js|yaml\.js|jose\.js|kube\/index\.js|kube\/gen\/index\.js|kube\/socks\.js|webview\/main\.js)|media\/(walkthrough\/)?[\w.-]+|readme\.md|changelog\.md|LICENSE\.txt|package\.json))$/i;
    assert.deepEqual(entries.filter((e) => !allowed.test(e)), []);
  });

  test('the packaged kube layer loads and reads a kubeconfig (every file its bundle requires is shipped)', async () => {
    await withExtractedVsix('vsix-extract', async (dir) => {
      const kubeconfig = join(dir, 'kubeconfig');
      const script = [
        "const fs = require('node:fs');",
        "fs.writeFileSync(process.argv[2], 'apiVersion: v1\\nkind: Config\\nclusters: [{name: c, cluster: {server: https://127.0.0.1:9}}]\\nusers: [{name: u, user: {token: t}}]\\ncontexts: [{name: x, context: {cluster: c, user: u}}]\\ncurrent-context: x\\n');",
        "const kube = require(process.argv[1]);",
        "const client = kube.createClusterClient(kube.loadKubeconfig({ paths: process.argv[2] }));",
        "process.stdout.write(client.connectionInfo.server);",
        'client.dispose();',
      ].join('\n');
      const { stdout } = await run(process.execPath, ['-e', script, join(dir, 'extension', 'dist', 'kube', 'index.js'), kubeconfig]);
      assert.equal(stdout, 'https://127.0.0.1:9');
    });
  });

  test('the packaged jose and js-yaml bundles, required on first use, load on their own and work', async () => {
    await withExtractedVsix('vsix-extract', async (dir) => {
      // A token signed with node:crypto, verified by the shipped jose against its JWK.
      const script = [
        "const crypto = require('node:crypto');",
        "const jose = require(process.argv[1] + '/jose.js');",
        "const yaml = require(process.argv[1] + '/yaml.js');",
        "const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });",
        "const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');",
        "const input = part({ alg: 'RS256', kid: 'k' }) + '.' + part({ sub: 'system:serviceaccount:ns:sa' });",
        "const token = input + '.' + crypto.sign('sha256', Buffer.from(input), privateKey).toString('base64url');",
        "const keys = jose.createLocalJWKSet({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k', alg: 'RS256' }] });",
        '(async () => {',
        '  const verified = await jose.compactVerify(token, keys);',
        "  const tampered = await jose.compactVerify(token.slice(0, -4) + 'AAAA', keys).then(() => 'accepted', (e) => e instanceof jose.errors.JWSSignatureVerificationFailed);",
        '  process.stdout.write(JSON.stringify({ sub: jose.decodeJwt(token).sub, verified: JSON.parse(Buffer.from(verified.payload)).sub, tampered, yaml: yaml.dump({ a: [1] }) }));',
        '})();',
      ].join('\n');
      const { stdout } = await run(process.execPath, ['-e', script, join(dir, 'extension', 'dist')]);
      assert.deepEqual(JSON.parse(stdout), { sub: 'system:serviceaccount:ns:sa', verified: 'system:serviceaccount:ns:sa', tampered: true, yaml: 'a:\n  - 1\n' });
    });
  });

  test('the packaged kube layer tunnels through a socks5 proxy-url with its separately bundled SOCKS agent', async () => {
    await withExtractedVsix('vsix-socks', async (dir) => {
      const { stdout } = await run(process.execPath, [join(__dirname, 'socksProbe.js'), join(dir, 'extension', 'dist', 'kube', 'index.js'), dir], { timeoutMs: 60_000 });
      const seen = JSON.parse(stdout) as { version?: number; connectPort?: number; failure: string };
      assert.equal(seen.version, 5, `the proxy was greeted in SOCKS5 (${stdout})`);
      assert.equal(seen.connectPort, 9, `the proxy was asked to connect to the API server's port (${stdout})`);
      assert.doesNotMatch(seen.failure, /not bundled|Cannot find module/, seen.failure);
    });
  });
});
