import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import type { RequestTokenOutcome } from '../../src/requestToken/requestTokenFlow';
import { activeApi, filesUnder, pick, requestWith, sandbox, ScriptedPrompter, sha256, waitFor } from './requestTokenHelpers';

async function issue(audiences: string[] = ['vault']): Promise<string> {
  const prompter = new ScriptedPrompter({ review: pick('Request token') });
  const outcome = await requestWith<RequestTokenOutcome>(prompter, { context: sandbox().contexts.admin, namespace: 'build', serviceAccount: 'ci-bot', audiences });
  assert.equal(outcome.status, 'issued', JSON.stringify(prompter.messages));
  return outcome.id!;
}

async function copied(id: string): Promise<string> {
  await vscode.env.clipboard.writeText('');
  await vscode.commands.executeCommand('saTokens.copyToken', id);
  const token = await vscode.env.clipboard.readText();
  assert.match(token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  return token;
}

async function withPrompter<T>(prompter: ScriptedPrompter, run: () => Thenable<T>): Promise<T> {
  const api = await activeApi();
  api.requestTokenTesting.setPrompter(prompter);
  try {
    return await run();
  } finally {
    api.requestTokenTesting.setPrompter(undefined);
  }
}

suite('Request Token: token store', () => {
  suiteSetup(async () => {
    await activeApi();
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('saTokens').update('sessionOnlyTokens', undefined, vscode.ConfigurationTarget.Global);
  });

  test('a token survives a simulated reload (a second store over the same SecretStorage and globalState)', async () => {
    const api = await activeApi();
    const id = await issue();
    const token = await copied(id);
    const reopened = api.requestTokenTesting.reopenStore();
    try {
      const meta = api.tokens.list().find((m) => m.id === id);
      assert.deepEqual(reopened.list().find((m) => m.id === id), meta);
      assert.equal(await reopened.tokenSha256(id), sha256(token));
    } finally {
      reopened.dispose();
    }
  });

  test('another store instance picks up changes through SecretStorage.onDidChange (multi-window consistency)', async () => {
    const api = await activeApi();
    const other = api.requestTokenTesting.reopenStore();
    try {
      const id = await issue(['https://other-window.example']);
      await waitFor('the other store to see the new token', async () => (other.list().some((m) => m.id === id) ? true : undefined));
      await vscode.commands.executeCommand('saTokens.forgetToken', { kind: 'issuedToken', id });
      await waitFor('the other store to see it forgotten', async () => (other.list().some((m) => m.id === id) ? undefined : true));
      assert.equal(await other.tokenSha256(id), undefined);
    } finally {
      other.dispose();
    }
  });

  test('no token in the log files, settings or globalState', async () => {
    const api = await activeApi();
    const id = await issue();
    const token = await copied(id);
    const signature = token.split('.')[2]!;
    const logs = api.requestTokenTesting.logsDir;
    // Make sure we read the right files: the issue is logged (by id), the token is not.
    const logFile = await waitFor('the log line of the issued token', async () => filesUnder(logs).find((f) => fs.readFileSync(f, 'utf8').includes(`Issued token ${id}`)));
    assert.ok(logFile.endsWith('.log'));
    for (const file of filesUnder(logs)) {
      const content = fs.readFileSync(file, 'utf8');
      assert.ok(!content.includes(token) && !content.includes(signature), `token found in ${file}`);
    }
    const state = api.requestTokenTesting.globalStateJson();
    // The metadata is in the token ledger now; globalState holds none of it.
    assert.ok(fs.existsSync(`${api.requestTokenTesting.tokenLedgerDir}/${id}.json`), 'the ledger holds the token id');
    assert.ok(!state.includes(id), 'no token metadata in globalState');
    assert.ok(!state.includes(token) && !state.includes(signature), 'no token in globalState');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('saTokens'));
    assert.ok(!settings.includes(signature), 'no token in settings');
  });

  test('Copy Token without an argument asks which token; Forget Token removes it from SecretStorage', async () => {
    const api = await activeApi();
    const id = await issue(['https://pick-me.example']);
    const prompter = new ScriptedPrompter({
      storedToken: (p) => ({ kind: 'pick', items: p.items.filter((i) => (i.value as { id: string }).id === id) }),
    });
    await vscode.env.clipboard.writeText('');
    await withPrompter(prompter, () => vscode.commands.executeCommand('saTokens.copyToken'));
    assert.ok(prompter.last('storedToken').items.some((i) => i.detail === 'audiences: https://pick-me.example'));
    const token = await vscode.env.clipboard.readText();
    const reopened = api.requestTokenTesting.reopenStore();
    try {
      assert.equal(await reopened.tokenSha256(id), sha256(token));
      await vscode.commands.executeCommand('saTokens.forgetToken', id);
      assert.equal(api.tokens.list().some((m) => m.id === id), false);
      await waitFor('the secret to be deleted', async () => ((await reopened.tokenSha256(id)) === undefined ? true : undefined));
    } finally {
      reopened.dispose();
    }
  });

  test('Forget All Tokens asks first; declining keeps them, confirming removes them all', async () => {
    const api = await activeApi();
    await issue();
    const count = api.tokens.list().length;
    const decline = new ScriptedPrompter({}, () => undefined);
    assert.equal(await withPrompter(decline, () => vscode.commands.executeCommand('saTokens.forgetAllTokens')), false);
    assert.equal(decline.messages[0]!.text, `Forget all ${count} stored token${count === 1 ? '' : 's'}?`);
    assert.equal(decline.messages[0]!.options.modal, true);
    assert.match(decline.messages[0]!.options.detail ?? '', /Forgetting does not revoke them/);
    assert.equal(api.tokens.list().length, count);
    const confirm = new ScriptedPrompter({}, () => 'Forget All');
    assert.equal(await withPrompter(confirm, () => vscode.commands.executeCommand('saTokens.forgetAllTokens')), true);
    assert.deepEqual(api.tokens.list(), []);
    const reopened = api.requestTokenTesting.reopenStore();
    try {
      assert.deepEqual(reopened.list(), []);
    } finally {
      reopened.dispose();
    }
  });

  test('session-only tokens stay in memory: not in SecretStorage, not after a reload', async () => {
    const api = await activeApi();
    const persisted = await issue();
    await vscode.workspace.getConfiguration('saTokens').update('sessionOnlyTokens', true, vscode.ConfigurationTarget.Global);
    const reopened = () => api.requestTokenTesting.reopenStore();
    // Turning the setting on moves stored tokens out of SecretStorage.
    await waitFor('stored tokens to move to memory', async () => {
      const r = reopened();
      try {
        return r.list().some((m) => m.id === persisted) ? undefined : true;
      } finally {
        r.dispose();
      }
    });
    assert.ok(api.tokens.list().some((m) => m.id === persisted), 'still usable in this session');
    const sessionOnly = await issue();
    const token = await copied(sessionOnly);
    assert.ok(token.length > 0);
    const r = reopened();
    try {
      assert.equal(r.list().some((m) => m.id === sessionOnly), false);
      assert.equal(await r.tokenSha256(sessionOnly), undefined);
    } finally {
      r.dispose();
    }
    await vscode.workspace.getConfiguration('saTokens').update('sessionOnlyTokens', undefined, vscode.ConfigurationTarget.Global);
  });
});
