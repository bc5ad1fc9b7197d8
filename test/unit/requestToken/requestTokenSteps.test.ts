import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { MultiStepInput } from '../../../src/platform/multiStepInput';
import { initialState, toRequestOptions, totalSteps, type RequestTokenState } from '../../../src/requestToken/requestTokenState';
import { RequestTokenSteps } from '../../../src/requestToken/requestTokenSteps';
import type { ClusterClient } from '../../../src/kube/clusterClient';
import { FakeClusterClient, namespace, pod, serviceAccount } from '../../fakes/fakeClusterClient';
import { acceptPicked, back, pick, ScriptedPrompter, text, type Answer } from '../../fakes/scriptedPrompter';

function cluster(): FakeClusterClient {
  const c = new FakeClusterClient();
  c.namespaces = [namespace('build')];
  c.serviceAccounts = [serviceAccount('build', 'ci-bot', { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/ci' })];
  c.pods = [pod('build', 'runner-7', 'ci-bot'), pod('build', 'deploy-5d9c7', 'deployer')];
  return c;
}

/** Runs the wizard in Node, as the Request Token flow does, from a service account of the tree. */
async function runWizard(script: Record<string, Answer | Answer[]>, fake = cluster()) {
  const copied: string[] = [];
  const steps = new RequestTokenSteps({
    client: async () => fake as unknown as ClusterClient,
    userPresets: () => [{ label: 'Vault', audience: 'https://vault.<team>.example' }],
    recentAudiences: () => [],
    copy: async (t) => void copied.push(t),
  });
  const state: RequestTokenState = { ...initialState('dev', false), namespace: 'build', serviceAccount: 'ci-bot', annotations: fake.serviceAccounts[0]!.annotations };
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
