import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ensureControlPlaneBinaries } from '../../../harness/controlPlane';
import { makeTempDir, removeTempDir } from '../../../harness/tempDirs';
import { suite, test } from 'mocha';
import { toKubectlCreateTokenCommand } from '../../../../src/core/kubectl/kubectlCommand';
import { shellQuote } from '../../../../src/core/kubectl/shellQuote';

suite('shellQuote', () => {
  test('leaves safe words bare and single-quotes the rest', () => {
    assert.equal(shellQuote('https://vault.example:8200/v1'), 'https://vault.example:8200/v1');
    assert.equal(shellQuote('a b'), "'a b'");
    assert.equal(shellQuote(''), "''");
    assert.equal(shellQuote("it's"), "'it'\\''s'");
    assert.equal(shellQuote('$(rm -rf ~)'), "'$(rm -rf ~)'");
  });

  test('a real shell gets the exact argument back', () => {
    const nasty = ["it's", '$HOME', '`id`', 'a"b', 'back\\slash', 'new\nline', '*', '; echo pwned'];
    for (const arg of nasty) {
      const out = execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(arg)}`], { encoding: 'utf8' });
      assert.equal(out, arg);
    }
  });
});

suite('toKubectlCreateTokenCommand', () => {
  test('minimal command', () => {
    assert.deepEqual(toKubectlCreateTokenCommand({ namespace: 'build', serviceAccount: 'ci-bot', audiences: [] }),
      { command: 'kubectl create token ci-bot -n build', args: ['kubectl', 'create', 'token', 'ci-bot', '-n', 'build'], notes: [] });
  });

  test('every flag, context and kubeconfig, quoted', () => {
    const result = toKubectlCreateTokenCommand(
      { namespace: 'build', serviceAccount: 'ci-bot', audiences: ['sts.amazonaws.com', 'api://AzureADTokenExchange'], expirationSeconds: 9000, boundObject: { kind: 'Pod', name: 'runner-7', uid: 'u-1' } },
      { context: "kind-sand box's", kubeconfig: '/tmp/kc' },
    );
    assert.equal(result.command,
      "kubectl --kubeconfig /tmp/kc --context 'kind-sand box'\\''s' create token ci-bot -n build --audience sts.amazonaws.com --audience api://AzureADTokenExchange --duration 2h30m --bound-object-kind Pod --bound-object-name runner-7 --bound-object-uid u-1");
    assert.deepEqual(result.notes, []);
  });

  test('notes options kubectl cannot express', () => {
    const { notes, command } = toKubectlCreateTokenCommand({ namespace: 'n', serviceAccount: 's', audiences: [], dryRun: true, fieldManager: 'fm', fieldValidation: 'Strict', pretty: true });
    assert.equal(command, 'kubectl create token s -n n');
    assert.deepEqual(notes, [
      'kubectl create token has no --dry-run=server; the command issues a token without dryRun=All (the server mints a real token either way).',
      'kubectl create token has no --field-manager; fieldManager=fm is not sent.',
      'kubectl create token has no --validate for this request; fieldValidation=Strict is not sent.',
      'pretty=true only indents the JSON response; kubectl prints the bare token.',
    ]);
  });

  test('the real kubectl accepts the generated flags', async function () {
    this.timeout(15 * 60_000); // the first run builds kubectl
    // A flag error exits before any connection attempt, so pointing kubectl at a closed local port
    // separates "flags parsed" (connection refused) from "flags rejected".
    const { kubectl } = await ensureControlPlaneBinaries();
    let stderr = '';
    // Its own HOME: kubectl may write a cache under ~/.kube.
    const home = makeTempDir('kubectl-home');
    try {
      execFileSync(kubectl, [...toKubectlCreateTokenCommand({ namespace: 'build', serviceAccount: 'ci-bot', audiences: ['a'], expirationSeconds: 5400, boundObject: { kind: 'Secret', name: 's1', uid: 'u' } }).args.slice(1),
        '--server', 'http://127.0.0.1:9', '--request-timeout', '1s'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', KUBECONFIG: '/dev/null', HOME: home } });
    } catch (e) {
      stderr = String((e as { stderr?: unknown }).stderr);
    } finally {
      removeTempDir(home);
    }
    assert.doesNotMatch(stderr, /unknown flag|invalid argument|must be/);
    assert.match(stderr, /127\.0\.0\.1:9|connection refused|failed to create token/);
  });
});
