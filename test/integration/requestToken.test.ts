import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { suite, suiteSetup, test } from 'mocha';
import type { RequestTokenOutcome } from '../../src/requestToken/requestTokenFlow';
import { acceptPicked, activeApi, adminRequest, back, button, cancel, pick, requestWith, sandbox, ScriptedPrompter, text } from './requestTokenHelpers';

interface Recorded { method: string; path: string; query: Record<string, string> }

async function tokenPosts(): Promise<Recorded[]> {
  const r = await adminRequest('GET', '/sandbox/v1/requests');
  return ((r.body as { requests: Recorded[] }).requests).filter((q) => q.method === 'POST' && q.path.endsWith('/token'));
}

async function podUid(name: string): Promise<string> {
  const r = await adminRequest('GET', `/api/v1/namespaces/build/pods/${name}`);
  assert.equal(r.status, 200);
  return (r.body as { metadata: { uid: string } }).metadata.uid;
}

suite('Request Token: flow', () => {
  let admin: string;

  suiteSetup(async () => {
    admin = sandbox().contexts.admin;
    await activeApi();
  });

  test('from the palette: namespace, SA, audiences (Back keeps them), lifetime, Pod binding with uid, copy command, Request', async () => {
    const runnerUid = await podUid('runner-7');
    const before = (await activeApi()).tokens.list().length;
    const prompter = new ScriptedPrompter({
      namespace: pick('build'),
      serviceAccount: pick('ci-bot'),
      audiences: [pick('sts.amazonaws.com'), acceptPicked()],
      lifetime: [back(), pick('8 hours')],
      bindKind: pick('Pod'),
      bindObject: [pick('deploy-5d9c7'), pick('runner-7')],
      review: [pick('Copy kubectl command'), pick('Request token')],
    });
    const outcome = await requestWith<RequestTokenOutcome>(prompter, { context: admin });
    assert.deepEqual(prompter.unexpected, []);
    assert.equal(outcome.status, 'issued', JSON.stringify(prompter.messages));

    assert.deepEqual(prompter.ids, ['namespace', 'serviceAccount', 'audiences', 'lifetime', 'audiences', 'lifetime', 'bindKind', 'bindObject', 'bindObject', 'review', 'review']);
    // Step x of y, Back only after the first step.
    assert.deepEqual(prompter.prompts.map((p) => `${p.id}:${p.step}/${p.totalSteps}`).slice(0, 4), ['namespace:1/6', 'serviceAccount:2/6', 'audiences:3/6', 'lifetime:4/6']);
    assert.equal(prompter.prompts[0]!.showBack, false);
    assert.equal(prompter.prompts[1]!.showBack, true);
    assert.equal(prompter.last('review').step, 6);

    // Audiences: the IRSA annotation suggests STS; the server default is explained; Back kept the answer.
    const firstAudiences = prompter.prompts[2]!;
    assert.ok(firstAudiences.items.some((i) => i.label === 'sts.amazonaws.com' && i.description === 'AWS STS (IRSA)'));
    assert.ok(firstAudiences.items[0]!.label.includes('API server default audiences'));
    const againAudiences = prompter.prompts[4]!;
    assert.deepEqual(againAudiences.items.filter((i) => i.picked === true).map((i) => i.label), ['sts.amazonaws.com']);

    // Pods under another SA are shown disabled with the reason; picking one re-opens the step with it.
    const firstPods = prompter.prompts[7]!;
    const other = firstPods.items.find((i) => i.label === 'deploy-5d9c7');
    assert.equal(other?.disabledReason, 'This pod runs as service account "deployer"; the API server refuses to bind a token for "ci-bot" to it.');
    assert.ok(firstPods.items.some((i) => i.label === 'runner-7' && i.disabledReason === undefined));
    assert.equal(prompter.prompts[8]!.placeholder, `deploy-5d9c7: ${other!.disabledReason}`);

    // Review: the kubectl command includes the uid the extension filled in, and Copy put it on the clipboard.
    const review = prompter.prompts[9]!;
    const copyItem = review.items.find((i) => i.label.includes('Copy kubectl command'));
    const command = `kubectl --context ${admin} create token ci-bot -n build --audience sts.amazonaws.com --duration 8h --bound-object-kind Pod --bound-object-name runner-7 --bound-object-uid ${runnerUid}`;
    assert.equal(copyItem?.detail, command);
    assert.equal(prompter.prompts[10]!.placeholder, 'Copied the kubectl command. Enter requests the token.');
    assert.equal(await vscode.env.clipboard.readText(), command);

    const api = await activeApi();
    assert.equal(api.tokens.list().length, before + 1);
    const meta = api.tokens.list().find((m) => m.id === outcome.id)!;
    assert.deepEqual(meta.audiences, ['sts.amazonaws.com']);
    assert.deepEqual(meta.boundObject, { kind: 'Pod', name: 'runner-7', uid: runnerUid });
    assert.equal(meta.request.expirationSeconds, 28800);
    assert.equal(meta.context, admin);
    assert.ok(Math.abs(meta.expiresAt - meta.issuedAt - 28800_000) < 2000);
    assert.ok(meta.clockSkewMs !== undefined && Math.abs(meta.clockSkewMs) < 5000);
    assert.ok(!('token' in meta));

    const done = prompter.messages.find((m) => m.text.startsWith('Token issued for build/ci-bot'));
    assert.ok(done, JSON.stringify(prompter.messages));
    assert.equal(done.severity, 'info');
    assert.ok(done.actions.includes('Copy Token'));
  });

  test('from a service-account node: 4 steps; Advanced via its button makes 5; free-entry audiences and lifetime are validated', async () => {
    const prompter = new ScriptedPrompter({
      audiences: pick('Enter other audiences…'),
      enterAudiences: text('https://vault.example, vault, https://vault.example'),
      lifetime: pick('Custom lifetime…'),
      customLifetime: text('2h30m'),
      bindKind: button('advanced'),
      advanced: [pick('fieldManager: (none)'), pick('Continue to review')],
      fieldManager: text('sa-tokens-test'),
      review: pick('Request token'),
    });
    const node = { kind: 'serviceAccount', context: admin, namespace: 'build', name: 'builder', uid: 'x', annotations: {} };
    const outcome = await requestWith<RequestTokenOutcome>(prompter, node);
    assert.deepEqual(prompter.unexpected, []);
    assert.equal(outcome.status, 'issued', JSON.stringify(prompter.messages));
    assert.deepEqual(prompter.prompts.map((p) => `${p.id}:${p.step}/${p.totalSteps}`), [
      'audiences:1/4', 'enterAudiences:1/4', 'lifetime:2/4', 'customLifetime:2/4', 'bindKind:3/4', 'advanced:4/5', 'fieldManager:4/5', 'advanced:4/5', 'review:5/5',
    ]);
    const enter = prompter.last('enterAudiences');
    assert.equal(enter.validate!('a b'), 'Audience "a b" contains whitespace. An audience is a single identifier such as a URL (e.g. https://vault.example); enter several as separate entries.');
    assert.equal(enter.validate!('x,,y'), 'Audience 2 is empty. Remove it, or leave the whole list empty to use the API server\'s default audiences.');
    const custom = prompter.last('customLifetime');
    assert.equal(custom.validate!('5m'), 'spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes (you entered 5m).');
    assert.equal(custom.validate!('90m'), undefined);
    const meta = (await activeApi()).tokens.list().find((m) => m.id === outcome.id)!;
    assert.deepEqual(meta.request.audiences, ['https://vault.example', 'vault']);
    assert.equal(meta.request.expirationSeconds, 9000);
    assert.equal(meta.request.fieldManager, 'sa-tokens-test');
    const sent = (await tokenPosts()).at(-1)!;
    assert.equal(sent.path, '/api/v1/namespaces/build/serviceaccounts/builder/token');
    assert.deepEqual(sent.query, { fieldManager: 'sa-tokens-test' });
  });

  test('Esc cancels: nothing is issued, nothing is stored', async () => {
    const api = await activeApi();
    const before = api.tokens.list().length;
    const posts = (await tokenPosts()).length;
    const prompter = new ScriptedPrompter({ audiences: acceptPicked(), lifetime: pick('1 hour'), bindKind: pick('Secret'), bindObject: cancel() });
    const outcome = await requestWith<RequestTokenOutcome>(prompter, { context: admin, namespace: 'build', serviceAccount: 'ci-bot' });
    assert.equal(outcome.status, 'cancelled');
    assert.deepEqual(prompter.unexpected, []);
    // The secret picker listed live secrets with their uid.
    assert.ok(prompter.last('bindObject').items.some((i) => i.label === 'vault-config' && /^uid /.test(i.detail ?? '')));
    assert.equal(api.tokens.list().length, before);
    assert.equal((await tokenPosts()).length, posts);
    assert.deepEqual(prompter.messages, []);
  });

  test('dry run: sends dryRun=All, still gets (and stores) a real token, and says so', async () => {
    const prompter = new ScriptedPrompter({ review: pick('Request token') });
    const outcome = await requestWith<RequestTokenOutcome>(prompter, { context: admin, namespace: 'build', serviceAccount: 'ci-bot', audiences: ['vault'], dryRun: true });
    assert.equal(outcome.status, 'issued', JSON.stringify(prompter.messages));
    assert.deepEqual(prompter.ids, ['review'], 'preset answers open the flow at Review');
    assert.equal(prompter.last('review').totalSteps, 5, 'the Advanced step counts once dryRun is set');
    assert.match(prompter.last('review').items[0]!.detail ?? '', /dryRun=All \(the server still mints a valid token\)/);
    assert.deepEqual((await tokenPosts()).at(-1)!.query, { dryRun: 'All' });
    const meta = (await activeApi()).tokens.list().find((m) => m.id === outcome.id)!;
    assert.equal(meta.dryRun, true);
    assert.match(prompter.messages[0]!.text, /dryRun=All, yet the server minted a real, valid token/);
  });

  test('the server\'s Warning header and a shortened lifetime are shown', async () => {
    await adminRequest('POST', '/sandbox/v1/config', { maxTokenExpirationSeconds: 3600 });
    try {
      const prompter = new ScriptedPrompter({ review: pick('Request token') });
      const outcome = await requestWith<RequestTokenOutcome>(prompter, { context: admin, namespace: 'build', serviceAccount: 'ci-bot', audiences: [], expirationSeconds: 7200 });
      assert.equal(outcome.status, 'issued', JSON.stringify(prompter.messages));
      const m = prompter.messages[0]!;
      assert.equal(m.severity, 'warning');
      assert.match(m.text, /Server warning: requested expiration of 7200 seconds shortened to 3600 seconds\./);
      assert.match(m.text, /You asked for 2h but the server issued 1h: its --service-account-max-token-expiration caps token lifetimes\./);
      const meta = (await activeApi()).tokens.list().find((x) => x.id === outcome.id)!;
      assert.equal(meta.issuedExpirationSeconds, 3600);
    } finally {
      await adminRequest('POST', '/sandbox/v1/config', { maxTokenExpirationSeconds: 0 });
    }
  });
});
