import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { SaTokensApi } from '../../src/api';
import { readSandboxEnv } from '../harness/sandboxEnv';
import { activateApi, closeAllPanels, panel, requestPrompter, waitFor } from './inspectorHelpers';

suite('Token Inspector (stored tokens)', function () {
  this.timeout(90_000);
  let api: SaTokensApi;
  let id: string;

  suiteSetup(async () => {
    api = await activateApi();
    assert.ok(api.requestTokenTesting, 'request-token test hooks (development mode)');
    api.requestTokenTesting.setPrompter(requestPrompter);
    await closeAllPanels(api);
    const outcome = await vscode.commands.executeCommand<{ status: string; id?: string }>('saTokens.requestToken', {
      context: readSandboxEnv().contexts.admin, namespace: 'build', serviceAccount: 'deployer', audiences: [], expirationSeconds: 1800,
    });
    assert.equal(outcome.status, 'issued', JSON.stringify(outcome));
    id = outcome.id!;
  });

  suiteTeardown(async () => {
    api.requestTokenTesting?.setPrompter(undefined);
    await closeAllPanels(api);
    if (id !== undefined) {
      await vscode.commands.executeCommand('saTokens.forgetToken', id);
    }
  });

  test('an issued token opens in the inspector with requested vs issued and its context', async () => {
    const key = `store:${id}`;
    await waitFor('the inspector opened after issuing', () => panel(api, key));
    await api.inspector.settled(key);
    const state = panel(api, key)!;
    assert.equal(state.view?.source, 'store');
    assert.equal(state.view?.storeId, id);
    assert.equal(state.view?.context, readSandboxEnv().contexts.admin);
    assert.equal(state.view?.lifetime.comparison?.requestedSeconds, 1800);
    assert.equal(state.view?.lifetime.comparison?.jwtLifetimeSeconds, 1800);
    assert.equal(state.verification?.state, 'verified', state.verification?.detail);
  });

  test('Inspect Token accepts a tree node; one panel per stored token', async () => {
    const key = await vscode.commands.executeCommand<string>('saTokens.inspectToken', { kind: 'issuedToken', id });
    assert.equal(key, `store:${id}`);
    await vscode.commands.executeCommand('saTokens.inspectToken', id);
    assert.equal(api.inspector.panels().filter((p) => p.key === key).length, 1);
  });

  test('a pasted copy of a stored token shows the stored token\'s tab, titled by subject and expiry', async () => {
    const key = await vscode.commands.executeCommand<string>('saTokens.inspectToken', id);
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('saTokens.copyTokenAs', { id, format: 'token' });
    const raw = await vscode.env.clipboard.readText();
    const count = api.inspector.panels().length;
    const again = await vscode.commands.executeCommand<string>('saTokens.decodeToken', { text: `Bearer ${raw}` });
    assert.equal(again, key, 'the stored token\'s panel, not a second one');
    assert.equal(api.inspector.panels().length, count);
    assert.match(panel(api, key)!.title, /^Token: build\/deployer · expires (\w{3} \d{1,2}, )?\d{2}:\d{2}$/);
  });

  test('Copy Token As for a stored token goes through the clipboard', async () => {
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('saTokens.copyTokenAs', { id, format: 'header' });
    const text = await vscode.env.clipboard.readText();
    assert.match(text, /^Authorization: Bearer eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  test('an unknown stored token id gets a clear message', async () => {
    const key = await vscode.commands.executeCommand<string>('saTokens.inspectToken', 'no-such-token');
    assert.equal(key, 'invalid');
    assert.equal(panel(api, key)?.invalid?.title, 'Token not found');
  });
});
