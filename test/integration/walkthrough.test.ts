import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { SaTokensApi } from '../../src/api';
import { contextKeys } from '../../src/constants';
import type { RequestTokenTesting } from '../../src/requestToken';
import { readSandboxEnv } from '../harness/sandboxEnv';
import { activateApi, closeAllPanels, panel, requestPrompter, waitFor } from './inspectorHelpers';
import { cancel, ScriptedPrompter } from './requestTokenHelpers';

/**
 * The Get Started walkthrough's steps complete on context keys; these check that the real events set them
 * (a kubeconfig loaded against the sandbox, the tree listing accounts, a token issued, verified, renewed).
 * Context keys cannot be read back from VS Code: the extension reports what it told `setContext`.
 */
suite('Get Started walkthrough: context keys follow the real events', function () {
  this.timeout(90_000);
  let api: SaTokensApi & { requestTokenTesting: RequestTokenTesting; contextKeys: NonNullable<SaTokensApi['contextKeys']> };
  let id: string | undefined;
  const isSet = (key: string) => api.contextKeys()[key] === true;
  const becomesTrue = (key: string, after: string) =>
    waitFor(`${key} after ${after}`, () => isSet(key), 30_000, { lastSeen: () => JSON.stringify(api.contextKeys()) });

  suiteSetup(async () => {
    const activated = await activateApi();
    assert.ok(activated.requestTokenTesting && activated.contextKeys && activated.expiry.testing, 'test hooks (development mode)');
    api = activated as typeof api;
    api.requestTokenTesting.setPrompter(requestPrompter);
    api.expiry.testing?.setPrompter(requestPrompter);
    await closeAllPanels(api);
  });

  suiteTeardown(async () => {
    api.requestTokenTesting?.setPrompter(undefined);
    api.expiry.testing?.setPrompter(undefined);
    await closeAllPanels(api);
    if (id !== undefined) {
      await vscode.commands.executeCommand('saTokens.forgetToken', id);
    }
  });

  test('loading the sandbox kubeconfig sets kubeconfigLoaded and contextActive; listing a namespace sets serviceAccountsListed', async () => {
    const [root] = await api.explorer.getChildren();
    assert.equal(root?.kind, 'context', 'the sandbox kubeconfig loaded with an active context');
    await becomesTrue(contextKeys.kubeconfigLoaded, 'the kubeconfig loaded');
    await becomesTrue(contextKeys.contextActive, 'the kubeconfig loaded with a current-context');
    const build = (await api.explorer.getChildren(root)).find((n) => n.kind === 'namespace' && n.name === 'build');
    assert.ok(build !== undefined, 'the build namespace is listed');
    const accounts = await api.explorer.getChildren(build);
    assert.ok(accounts.some((n) => n.kind === 'serviceAccount'), 'build lists service accounts');
    await becomesTrue(contextKeys.serviceAccountsListed, 'the tree listed build');
  });

  test('a cancelled Request Token sets nothing; an issued one sets tokenIssued, and its inspector sets tokenVerified', async () => {
    const target = { context: readSandboxEnv().contexts.admin, namespace: 'build', serviceAccount: 'ci-bot' };
    if (!isSet(contextKeys.tokenIssued)) {
      // Only meaningful while no earlier suite of this host has issued a token.
      // The first prompt is answered with Escape (an unscripted prompt cancels too).
      api.requestTokenTesting.setPrompter(new ScriptedPrompter({ audiences: cancel() }));
      const cancelled = await vscode.commands.executeCommand<{ status: string }>('saTokens.requestToken', target);
      api.requestTokenTesting.setPrompter(requestPrompter);
      assert.equal(cancelled.status, 'cancelled');
      assert.notEqual(api.contextKeys()[contextKeys.tokenIssued], true, 'opening the wizard is not issuing a token');
    }
    const outcome = await vscode.commands.executeCommand<{ status: string; id?: string }>('saTokens.requestToken', { ...target, audiences: [], expirationSeconds: 1800 });
    assert.equal(outcome.status, 'issued', JSON.stringify(outcome));
    id = outcome.id!;
    await becomesTrue(contextKeys.tokenIssued, 'Request Token issued a token');
    // Issuing opens the inspector, which verifies the signature against the sandbox's keys and shows it.
    const key = `store:${id}`;
    await waitFor('the inspector opened after issuing', () => panel(api, key));
    await api.inspector.settled(key);
    assert.equal(panel(api, key)?.verification?.state, 'verified');
    await becomesTrue(contextKeys.tokenVerified, 'the inspector showed the token verified');
  });

  test('turning auto-renew on sets autoRenewOn; renewing sets tokenRenewed', async () => {
    assert.ok(id !== undefined, 'a token was issued by the previous test');
    assert.equal(await vscode.commands.executeCommand('saTokens.toggleAutoRenew', id), true);
    await becomesTrue(contextKeys.autoRenewOn, 'auto-renew was turned on');
    assert.equal(await vscode.commands.executeCommand('saTokens.toggleAutoRenew', id), false);
    const renewed = await vscode.commands.executeCommand<{ ok: boolean }>('saTokens.renewToken', id);
    assert.equal(renewed?.ok, true, JSON.stringify(renewed));
    await becomesTrue(contextKeys.tokenRenewed, 'Renew Token re-issued the token');
  });
});
