import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { suite, suiteSetup, test } from 'mocha';
import type { ExplorerApi } from '../../src/explorer/explorerApi';
import type { RequestTokenOutcome } from '../../src/requestToken/requestTokenFlow';
import { child, explorerApi, rows, waitFor } from './explorerHelpers';
import { pick, requestWith, sandbox, ScriptedPrompter } from './requestTokenHelpers';

suite('Explorer: issued tokens', () => {
  let explorer: ExplorerApi;

  suiteSetup(async () => {
    explorer = await explorerApi();
  });

  test('a token issued for a service account shows under it, and goes when it is forgotten', async () => {
    const admin = sandbox().contexts.admin;
    await vscode.commands.executeCommand('saTokens.switchContext', admin);
    const prompter = new ScriptedPrompter({ review: pick('Request token') });
    const outcome = await requestWith<RequestTokenOutcome>(prompter, {
      context: admin, namespace: 'web', serviceAccount: 'default', audiences: ['https://vault.example'], expirationSeconds: 3600,
    });
    assert.equal(outcome.status, 'issued', JSON.stringify(prompter.messages));

    const tokenRow = async () => {
      const root = (await explorer.getChildren())[0];
      const namespace = await child(explorer, root, 'web');
      const account = await child(explorer, namespace, 'default');
      return (await rows(explorer, account)).find((r) => r.node.kind === 'issuedToken' && r.node.id === outcome.id);
    };
    const row = await waitFor('the issued token under web/default', tokenRow);
    assert.equal(row.item.contextValue, 'issuedToken');
    assert.match(JSON.stringify(row.item), /vault\.example/, 'the token item names its audience');
    assert.doesNotMatch(JSON.stringify(row), /eyJ/, 'the tree item carries no token');

    await vscode.commands.executeCommand('saTokens.forgetToken', outcome.id);
    await waitFor('the forgotten token to leave the tree', async () => ((await tokenRow()) === undefined ? true : undefined));
  });
});
