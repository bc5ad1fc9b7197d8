import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { suite, suiteSetup, test } from 'mocha';
import type { RequestTokenOutcome } from '../../src/requestToken/requestTokenFlow';
import { acceptPicked, activeApi, adminRequest, after, pick, requestWith, sandbox, ScriptedPrompter, type SeenMessage } from './requestTokenHelpers';

function podBody(name: string, serviceAccountName: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'build' },
    spec: { serviceAccountName, containers: [{ name: 'main', image: 'registry.example/app:1.0' }] },
  };
}

async function createPod(name: string): Promise<string> {
  const r = await adminRequest('POST', '/api/v1/namespaces/build/pods', podBody(name, 'ci-bot'));
  assert.ok(r.status === 201 || r.status === 200, JSON.stringify(r.body));
  return (r.body as { metadata: { uid: string } }).metadata.uid;
}

async function deletePod(name: string): Promise<void> {
  const r = await adminRequest('DELETE', `/api/v1/namespaces/build/pods/${name}`);
  assert.ok(r.status === 200 || r.status === 202 || r.status === 404, JSON.stringify(r.body));
}

/** Answers the first error message with `first`, any later one with nothing. */
function firstErrorAnswer(first: string | undefined): (m: SeenMessage) => string | undefined {
  let answered = false;
  return (m) => {
    if (m.severity !== 'error' || answered) {
      return undefined;
    }
    answered = true;
    return first;
  };
}

function errors(p: ScriptedPrompter): SeenMessage[] {
  return p.messages.filter((m) => m.severity === 'error');
}

suite('Request Token: errors', () => {
  let admin: string;
  const base = () => ({ context: admin, namespace: 'build', serviceAccount: 'ci-bot', audiences: [] as string[] });

  suiteSetup(async () => {
    admin = sandbox().contexts.admin;
    await activeApi();
  });

  test('bound pod deleted after picking: 404 explained, Pick Again resumes at the binding with the other answers kept', async () => {
    await createPod('rt-victim');
    const prompter = new ScriptedPrompter({
      audiences: pick('vault'),
      lifetime: [pick('10 minutes'), acceptPicked()],
      bindKind: [pick('Pod'), acceptPicked()],
      bindObject: [pick('rt-victim'), pick('runner-7')],
      review: [after(() => deletePod('rt-victim'), pick('Request token')), pick('Request token')],
    }, firstErrorAnswer('Pick Again'));
    const outcome = await requestWith<RequestTokenOutcome>(prompter, { context: admin, namespace: 'build', serviceAccount: 'ci-bot' });
    assert.deepEqual(prompter.unexpected, []);
    assert.equal(outcome.status, 'issued', JSON.stringify(prompter.messages));
    const [error] = errors(prompter);
    assert.equal(error!.text, 'Pod "rt-victim" no longer exists (pods "rt-victim" not found). A token can only be bound to a live object: pick another one, or bind to nothing.');
    assert.deepEqual(error!.actions, ['Pick Again', 'Edit and Retry']);
    assert.deepEqual(prompter.ids, ['audiences', 'lifetime', 'bindKind', 'bindObject', 'review', 'bindKind', 'bindObject', 'review']);
    assert.equal(prompter.prompts[5]!.showBack, true, 'the resumed flow can still go back');
    const meta = (await activeApi()).tokens.list().find((m) => m.id === outcome.id)!;
    assert.deepEqual(meta.request.audiences, ['vault'], 'earlier answers were kept');
    assert.equal(meta.request.expirationSeconds, 600);
    assert.equal(meta.boundObject?.name, 'runner-7');
  });

  test('bound pod recreated with the same name: 409 uid mismatch explained', async () => {
    await createPod('rt-phoenix');
    try {
      const prompter = new ScriptedPrompter({
        audiences: acceptPicked(),
        lifetime: pick('1 hour'),
        bindKind: pick('Pod'),
        bindObject: pick('rt-phoenix'),
        review: after(async () => {
          await deletePod('rt-phoenix');
          await createPod('rt-phoenix');
        }, pick('Request token')),
      }, firstErrorAnswer(undefined));
      const outcome = await requestWith<RequestTokenOutcome>(prompter, { context: admin, namespace: 'build', serviceAccount: 'ci-bot' });
      assert.deepEqual(outcome, { status: 'failed', failure: 'boundObjectUidMismatch', code: 'ERR_CONFLICT' });
      assert.match(errors(prompter)[0]!.text, /^Pod "rt-phoenix" was recreated after you picked it: its uid no longer matches \(Operation cannot be fulfilled on Pod "rt-phoenix": the UID in the bound object reference \([0-9a-f-]+\) does not match the UID in record/);
      assert.deepEqual(errors(prompter)[0]!.actions, ['Pick Again', 'Edit and Retry']);
    } finally {
      await deletePod('rt-phoenix');
    }
  });

  test('pod under another service account: 400 explained', async () => {
    const prompter = new ScriptedPrompter({ review: pick('Request token') }, firstErrorAnswer(undefined));
    const outcome = await requestWith<RequestTokenOutcome>(prompter, { ...base(), boundObject: { kind: 'Pod', name: 'deploy-5d9c7' } });
    assert.deepEqual(outcome, { status: 'failed', failure: 'podUnderOtherServiceAccount', code: 'ERR_BAD_REQUEST' });
    assert.equal(errors(prompter)[0]!.text, 'Pod "deploy-5d9c7" runs under a different service account, so the server refuses to bind a token for "ci-bot" to it (cannot bind token for serviceaccount "ci-bot" to pod running with different serviceaccount name.). Pick a pod whose spec.serviceAccountName is "ci-bot".');
  });

  test('Node binding disabled on the server: 400 explained', async () => {
    await adminRequest('POST', '/sandbox/v1/config', { nodeBinding: false });
    try {
      const prompter = new ScriptedPrompter({ review: pick('Request token') }, firstErrorAnswer(undefined));
      const outcome = await requestWith<RequestTokenOutcome>(prompter, { ...base(), boundObject: { kind: 'Node', name: 'worker-1' } });
      assert.deepEqual(outcome, { status: 'failed', failure: 'nodeBindingDisabled', code: 'ERR_BAD_REQUEST' });
      assert.match(errors(prompter)[0]!.text, /^This cluster does not allow binding tokens to Nodes: the ServiceAccountTokenNodeBinding feature gate is disabled on the API server/);
    } finally {
      await adminRequest('POST', '/sandbox/v1/config', { nodeBinding: true });
    }
  });

  test('service account not found: 404 explained', async () => {
    const prompter = new ScriptedPrompter({ review: pick('Request token') }, firstErrorAnswer(undefined));
    const outcome = await requestWith<RequestTokenOutcome>(prompter, { ...base(), serviceAccount: 'ghost' });
    assert.deepEqual(outcome, { status: 'failed', failure: 'serviceAccountNotFound', code: 'ERR_NOT_FOUND' });
    assert.equal(errors(prompter)[0]!.text, `The service account "ghost" in namespace "build" was not found in context "${admin}" (serviceaccounts "ghost" not found). It may have been deleted; refresh the Service Accounts view.`);
  });

  test('expiration rejected by the server: 422 explained; Edit and Retry reopens the lifetime step', async () => {
    const prompter = new ScriptedPrompter({
      review: [pick('Request token'), pick('Request token')],
      lifetime: pick('1 hour'),
      bindKind: acceptPicked(),
    }, firstErrorAnswer('Edit and Retry'));
    const outcome = await requestWith<RequestTokenOutcome>(prompter, { ...base(), audiences: ['vault'], expirationSeconds: 60 });
    assert.deepEqual(prompter.unexpected, []);
    assert.equal(outcome.status, 'issued', JSON.stringify(prompter.messages));
    assert.match(prompter.prompts[0]!.items[0]!.detail ?? '', /the server will reject it: spec\.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes/);
    assert.equal(errors(prompter)[0]!.text, 'The API server rejected the lifetime: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes. A token must live at least 10 minutes and at most 2^32 seconds.');
    assert.deepEqual(prompter.ids, ['review', 'lifetime', 'bindKind', 'review']);
    assert.equal(prompter.last('lifetime').showBack, true);
    const meta = (await activeApi()).tokens.list().find((m) => m.id === outcome.id)!;
    assert.deepEqual(meta.request.audiences, ['vault']);
    assert.equal(meta.request.expirationSeconds, 3600);
  });

  test('limited user: 403 names the permission', async () => {
    const limited = sandbox().contexts.limited;
    const prompter = new ScriptedPrompter({ review: pick('Request token') }, firstErrorAnswer(undefined));
    const outcome = await requestWith<RequestTokenOutcome>(prompter, { context: limited, namespace: 'web', serviceAccount: 'frontend', audiences: [] });
    assert.deepEqual(outcome, { status: 'failed', failure: 'forbidden', code: 'ERR_FORBIDDEN' });
    const text = errors(prompter)[0]!.text;
    assert.match(text, new RegExp(`^User "jane" \\(context "${limited}"\\) may not request tokens for the service account "frontend" in namespace "web"\\. Requesting a token needs permission to create serviceaccounts/token`));
    assert.match(text, /Server: serviceaccounts "frontend" is forbidden: User "jane" cannot create resource "serviceaccounts\/token" in API group "" in the namespace "web"/);
  });

  test('unauthorized credentials: 401 explained', async () => {
    const prompter = new ScriptedPrompter({ review: pick('Request token') }, firstErrorAnswer(undefined));
    const outcome = await requestWith<RequestTokenOutcome>(prompter, { ...base(), context: sandbox().contexts.expired });
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.code, 'ERR_UNAUTHORIZED', JSON.stringify(prompter.messages));
    assert.match(errors(prompter)[0]!.text, /rejected your credentials \(401 Unauthorized\)/);
  });

  test('unreachable context: explained, Retry offered', async () => {
    const unreachable = sandbox().contexts.unreachable;
    const prompter = new ScriptedPrompter({ review: pick('Request token') }, firstErrorAnswer(undefined));
    const outcome = await requestWith<RequestTokenOutcome>(prompter, { ...base(), context: unreachable });
    assert.equal(outcome.code, 'ERR_UNREACHABLE', JSON.stringify(prompter.messages));
    assert.equal(outcome.failure, 'unreachable');
    const error = errors(prompter)[0]!;
    assert.match(error.text, new RegExp(`^Cannot reach the API server of context "${unreachable}" at https://`));
    assert.ok(error.actions.includes('Retry') && error.actions.includes('Edit and Retry'));
  });

  test('timeout: explained', async () => {
    await vscode.workspace.getConfiguration('saTokens').update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
    await adminRequest('POST', '/sandbox/v1/faults', { stallRate: 1, stallMs: 4000 });
    try {
      const prompter = new ScriptedPrompter({ review: pick('Request token') }, firstErrorAnswer(undefined));
      const outcome = await requestWith<RequestTokenOutcome>(prompter, base());
      assert.equal(outcome.code, 'ERR_TIMEOUT', JSON.stringify(prompter.messages));
      assert.match(errors(prompter)[0]!.text, new RegExp(`^The API server of context "${admin}" did not answer in time`));
    } finally {
      await adminRequest('POST', '/sandbox/v1/faults', { reset: true });
      await vscode.workspace.getConfiguration('saTokens').update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
