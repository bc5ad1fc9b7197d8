import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { MultiStepInput } from '../../../src/platform/multiStepInput';
import { initialState, toRequestOptions, totalSteps, type RequestTokenState } from '../../../src/requestToken/requestTokenState';
import { RequestTokenSteps, resumeTargetOf, type UnfinishedRequest } from '../../../src/requestToken/requestTokenSteps';
import type { ClusterClient } from '../../../src/kube/clusterClient';
import { FakeClusterClient, namespace, pod, serviceAccount } from '../../fakes/fakeClusterClient';
import { acceptPicked, back, pick, ScriptedPrompter, text, typeAndPick, type Answer } from '../../fakes/scriptedPrompter';

function cluster(): FakeClusterClient {
  const c = new FakeClusterClient();
  c.namespaces = [namespace('build')];
  c.serviceAccounts = [serviceAccount('build', 'ci-bot', { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/ci' })];
  c.pods = [pod('build', 'runner-7', 'ci-bot'), pod('build', 'deploy-5d9c7', 'deployer')];
  return c;
}

interface WizardOptions {
  readonly fake?: FakeClusterClient;
  readonly warnAboveSeconds?: number;
  readonly unfinished?: UnfinishedRequest;
  /** Start from the palette (namespace and service-account steps first). */
  readonly fromPalette?: boolean;
}

/** Runs the wizard in Node, as the Request Token flow does, from a service account of the tree (or the palette). */
async function runWizard(script: Record<string, Answer | Answer[]>, options: WizardOptions = {}) {
  const fake = options.fake ?? cluster();
  const copied: string[] = [];
  const steps = new RequestTokenSteps({
    client: async () => fake as unknown as ClusterClient,
    userPresets: () => [{ label: 'Vault', audience: 'https://vault.<team>.example' }],
    recentAudiences: () => [],
    copy: async (t) => void copied.push(t),
    longLifetimeWarningSeconds: () => options.warnAboveSeconds ?? 86_400,
    unfinished: () => options.unfinished,
  });
  const state: RequestTokenState = options.fromPalette === true
    ? initialState('dev', true)
    : { ...initialState('dev', false), namespace: 'build', serviceAccount: 'ci-bot', annotations: fake.serviceAccounts[0]!.annotations };
  const prompter = new ScriptedPrompter(script);
  const wizard = new MultiStepInput(prompter, state, totalSteps);
  const { start, history } = steps.stepsFor('start', state);
  const result = await wizard.run(start, history);
  wizard.dispose();
  return { result, state, prompter, copied, fake };
}

suite('requestToken: the wizard steps (scripted prompter, fake cluster)', () => {
  test('audiences suggested by the IRSA annotation, a preset lifetime, a pod of the service account', async () => {
    const { result, state, prompter, fake } = await runWizard({
      audiences: pick('sts.amazonaws.com'),
      lifetime: pick('8 hours'),
      bindKind: pick('Pod'),
      bindObject: pick('runner-7'),
      review: pick('$(key) Request token'),
    });
    assert.equal(result, 'done');
    assert.deepEqual(prompter.unexpected, []);
    assert.deepEqual(toRequestOptions(state), {
      namespace: 'build', serviceAccount: 'ci-bot', audiences: ['sts.amazonaws.com'], expirationSeconds: 28_800,
      boundObject: { kind: 'Pod', name: 'runner-7', uid: 'uid-pod-build-runner-7' },
    });
    assert.deepEqual(prompter.prompts.map((p) => `${p.id}:${p.step}/${p.totalSteps}`), ['audiences:1/4', 'lifetime:2/4', 'bindKind:3/4', 'bindObject:3/4', 'review:4/4']);
    // A pod of another service account is listed, but cannot be picked, and says why.
    const other = prompter.last('bindObject').items.find((i) => i.label === 'deploy-5d9c7');
    assert.equal(other?.disabledReason, 'This pod runs as service account "deployer"; the API server refuses to bind a token for "ci-bot" to it.');
    assert.ok(fake.calls.some((c) => c.method === 'listPods' && c.namespace === 'build'));
  });

  test('a template preset opens the text box pre-filled, and its <placeholders> must be replaced', async () => {
    const { state, prompter } = await runWizard({
      audiences: pick('$(edit) Vault'),
      enterAudiences: text('https://vault.platform.example'),
      lifetime: pick('1 hour'),
      bindKind: pick('None'),
      review: pick('$(key) Request token'),
    });
    const enter = prompter.last('enterAudiences');
    assert.equal(enter.value, 'https://vault.<team>.example');
    assert.equal(enter.validate?.('https://vault.<team>.example'), 'Replace the <placeholders> in "https://vault.<team>.example".');
    assert.deepEqual(state.audiences, ['https://vault.platform.example']);
  });

  test('Back keeps the answers given', async () => {
    const { state, prompter } = await runWizard({
      audiences: [pick('sts.amazonaws.com'), acceptPicked()],
      lifetime: [back(), acceptPicked()],
      bindKind: pick('None'),
      review: pick('$(key) Request token'),
    });
    assert.deepEqual(prompter.ids, ['audiences', 'lifetime', 'audiences', 'lifetime', 'bindKind', 'review']);
    assert.deepEqual(prompter.prompts[2]!.items.filter((i) => i.picked === true).map((i) => i.label), ['sts.amazonaws.com']);
    assert.deepEqual(state.audiences, ['sts.amazonaws.com']);
  });

  test('Copy kubectl command at review puts the equivalent command on the clipboard', async () => {
    const { copied } = await runWizard({
      audiences: pick('sts.amazonaws.com'),
      lifetime: pick('1 hour'),
      bindKind: pick('None'),
      review: [pick('$(copy) Copy kubectl command'), pick('$(key) Request token')],
    });
    assert.deepEqual(copied, ['kubectl --context dev create token ci-bot -n build --audience sts.amazonaws.com --duration 1h']);
  });
});

suite('requestToken: feedback while answering', () => {
  const review = (p: ScriptedPrompter) => p.last('review').items.map((i) => ({ label: i.label, description: i.description, detail: i.detail }));

  test('review warns about a lifetime above the setting, and says what the server may do to an unbound token', async () => {
    const { prompter } = await runWizard({
      audiences: acceptPicked(),
      lifetime: pick('Custom lifetime…'),
      customLifetime: text('100 days'),
      bindKind: pick('None'),
      review: pick('$(key) Request token'),
    });
    assert.deepEqual(review(prompter).slice(1, 3), [{
      label: '$(warning) Long-lived token: 100d',
      description: 'more than 1d (saTokens.longLifetimeWarningHours)',
      detail: 'Not bound to any object: only deleting the service account revokes it early.',
    }, {
      label: '$(info) The API server may cap the lifetime',
      description: '--service-account-max-token-expiration',
      detail: 'The result shows what was issued against what was asked.',
    }]);
    assert.match(review(prompter)[0]!.detail ?? '', /^audiences: API server default · lifetime: 100d · not bound$/);
  });

  test('a bound token is warned about with its object; short tokens and a disabled setting get no warning', async () => {
    const bound = await runWizard({ audiences: acceptPicked(), lifetime: pick('7 days'), bindKind: pick('Pod'), bindObject: pick('runner-7'), review: pick('$(key) Request token') });
    assert.equal(review(bound.prompter)[1]!.detail, 'Valid until it expires or its Pod is deleted.');
    const short = await runWizard({ audiences: acceptPicked(), lifetime: pick('24 hours'), bindKind: pick('None'), review: pick('$(key) Request token') });
    assert.ok(!review(short.prompter).some((i) => i.label.includes('Long-lived')), 'exactly the limit is no warning');
    const off = await runWizard({ audiences: acceptPicked(), lifetime: pick('7 days'), bindKind: pick('None'), review: pick('$(key) Request token') }, { warnAboveSeconds: 0 });
    assert.ok(!review(off.prompter).some((i) => i.label.includes('Long-lived')));
  });

  test('a Pod-bound token of exactly 3607 s is warned about: the server extends it to a year', async () => {
    const { prompter } = await runWizard({ audiences: acceptPicked(), lifetime: pick('Custom lifetime…'), customLifetime: text('3607s'), bindKind: pick('Pod'), bindObject: pick('runner-7'), review: pick('$(key) Request token') });
    assert.equal(review(prompter)[1]!.label, '$(warning) Long-lived token: 1h 7s may last 365d');
    assert.equal(review(prompter)[1]!.detail, 'Extended to a year by --service-account-extend-token-expiration (on by default).');
  });

  test('picking the warning goes back to the lifetime, and a shorter one clears it', async () => {
    const { state, prompter } = await runWizard({
      audiences: acceptPicked(),
      lifetime: [pick('7 days'), pick('8 hours')],
      bindKind: [pick('None'), acceptPicked()],
      review: [pick('$(warning) Long-lived token: 7d'), pick('$(key) Request token')],
    });
    assert.deepEqual(prompter.ids, ['audiences', 'lifetime', 'bindKind', 'review', 'lifetime', 'bindKind', 'review']);
    assert.equal(state.expirationSeconds, 28_800);
    assert.ok(!review(prompter).some((i) => i.label.includes('Long-lived') || i.label.includes('may cap')));
  });

  test('the API server default is exclusive: checked with another audience, the step says so and continues with the others', async () => {
    const { state, prompter } = await runWizard({
      audiences: [pick('API server default audiences', 'sts.amazonaws.com'), acceptPicked()],
      lifetime: pick('1 hour'),
      bindKind: pick('None'),
      review: pick('$(key) Request token'),
    });
    assert.deepEqual(prompter.ids.slice(0, 3), ['audiences', 'audiences', 'lifetime']);
    const again = prompter.prompts[1]!;
    assert.equal(again.placeholder, 'API server default unchecked: other audiences replace it. Enter continues.');
    assert.deepEqual(again.items.filter((i) => i.picked === true).map((i) => i.label), ['sts.amazonaws.com']);
    assert.equal(prompter.prompts[0]!.items[0]!.detail, 'Only when nothing else is checked: explicit audiences replace the server\'s --api-audiences.');
    assert.deepEqual(state.audiences, ['sts.amazonaws.com']);
  });

  test('the custom-audience box: an empty box is valid only as "not yet"; Enter on it says one consistent thing', async () => {
    const { prompter } = await runWizard({ audiences: pick('Enter other audiences…'), enterAudiences: text('vault'), lifetime: pick('1 hour'), bindKind: pick('None'), review: pick('$(key) Request token') });
    const box = prompter.last('enterAudiences');
    assert.equal(box.value, '');
    assert.equal(box.validate!(''), 'Enter at least one audience, comma-separated. For the API server default, go Back and check only "API server default audiences".');
  });

  test('every placeholder fits the quick input (short; details live in the title, prompt or rows)', async () => {
    const { prompter } = await runWizard({
      namespace: pick('build'), serviceAccount: pick('ci-bot'), audiences: acceptPicked(), lifetime: pick('1 hour'), bindKind: pick('Pod'), bindObject: pick('runner-7'), review: pick('$(key) Request token'),
    }, { fromPalette: true });
    assert.deepEqual(prompter.unexpected, []);
    for (const p of prompter.prompts) {
      assert.ok((p.placeholder ?? '').length <= 64, `${p.id}: "${p.placeholder}" (${p.placeholder?.length})`);
    }
  });

  test('resume: the namespace step offers the unfinished request first; picking it restores every answer and where it stopped', async () => {
    const saved: RequestTokenState = { ...initialState('prod', true), namespace: 'build', serviceAccount: 'ci-bot', audiences: ['vault'], extraAudiences: [], expirationSeconds: 7200 };
    const { result, state, prompter } = await runWizard({ namespace: pick('$(history) Resume the last request') }, { fromPalette: true, unfinished: { state: saved, stoppedAt: 'bindKind' } });
    assert.equal(result, 'done');
    const first = prompter.last('namespace').items[0]!;
    assert.equal(first.description, '(build/ci-bot, stopped at bind to an object) · prod');
    assert.equal(first.detail, 'audiences: vault · lifetime: 2h · not bound');
    assert.deepEqual({ ...state }, { ...saved, resumeAt: 'bind' });
    assert.notEqual(state.audiences, saved.audiences, 'a copy: the kept answers do not change with the new flow');
    assert.equal(resumeTargetOf('customLifetime'), 'lifetime');
    assert.equal(resumeTargetOf('enterNamespace'), 'start');
  });

  test('resume reopens at the step it stopped at, with Back through the earlier ones', async () => {
    const fake = cluster();
    const steps = new RequestTokenSteps({ client: async () => fake as unknown as ClusterClient, userPresets: () => [], recentAudiences: () => [], copy: async () => undefined, longLifetimeWarningSeconds: () => 0, unfinished: () => undefined });
    const state: RequestTokenState = { ...initialState('dev', true), namespace: 'build', serviceAccount: 'ci-bot', expirationSeconds: 7200 };
    const { start, history } = steps.stepsFor('bind', state);
    assert.equal(start, steps.bindKind);
    assert.deepEqual(history, [steps.namespace, steps.serviceAccount, steps.audiences, steps.lifetime]);
    assert.equal(steps.stepsFor('serviceAccount', state).start, steps.serviceAccount);
    assert.equal(steps.stepsFor('advanced', state).start, steps.review, 'no Advanced step in this flow: review');
  });

  test('a namespace typed while the server is down is kept: Retry keeps the text, "Enter a namespace…" opens with it', async () => {
    const fake = cluster();
    fake.failNext('listNamespaces', new Error('connect ECONNREFUSED 127.0.0.1:6443'));
    const { state, prompter } = await runWizard({
      namespace: [typeAndPick('build', '$(refresh) Retry'), typeAndPick('build', '$(edit) Enter a namespace…')],
      enterNamespace: text('build'),
      serviceAccount: pick('ci-bot'),
      audiences: acceptPicked(), lifetime: pick('1 hour'), bindKind: pick('None'), review: pick('$(key) Request token'),
    }, { fromPalette: true, fake });
    const failed = prompter.prompts[0]!;
    assert.deepEqual(failed.items.map((i) => i.label), ['Could not list namespaces', '$(edit) Enter a namespace…', '$(refresh) Retry']);
    assert.equal(failed.items[0]!.disabledReason, 'connect ECONNREFUSED 127.0.0.1:6443');
    assert.equal(prompter.prompts[1]!.value, 'build', 'Retry keeps what was typed');
    assert.equal(prompter.last('enterNamespace').value, 'build');
    assert.equal(state.namespace, 'build');
  });

  test('the service-account list offers Retry when it fails', async () => {
    const fake = cluster();
    fake.failNext('listServiceAccounts', new Error('connect ECONNREFUSED 127.0.0.1:6443'));
    const { state, prompter } = await runWizard({
      namespace: pick('build'),
      serviceAccount: [typeAndPick('ci', '$(refresh) Retry'), pick('ci-bot')],
      audiences: acceptPicked(), lifetime: pick('1 hour'), bindKind: pick('None'), review: pick('$(key) Request token'),
    }, { fromPalette: true, fake });
    assert.deepEqual(prompter.prompts[1]!.items.map((i) => i.label), ['Could not list service accounts in build', '$(refresh) Retry']);
    assert.equal(prompter.prompts[2]!.value, 'ci');
    assert.equal(state.serviceAccount, 'ci-bot');
  });
});
