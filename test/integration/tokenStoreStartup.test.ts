import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { suite, suiteSetup, test } from 'mocha';
import type { RequestTokenOutcome } from '../../src/requestToken/requestTokenFlow';
import { activeApi, filesUnder, pick, requestWith, sandbox, ScriptedPrompter, sha256 } from './requestTokenHelpers';

async function issue(audiences: string[]): Promise<{ id: string; token: string }> {
  const prompter = new ScriptedPrompter({ review: pick('Request token') });
  const outcome = await requestWith<RequestTokenOutcome>(prompter, { context: sandbox().contexts.admin, namespace: 'build', serviceAccount: 'ci-bot', audiences });
  assert.equal(outcome.status, 'issued', JSON.stringify(prompter.messages));
  await vscode.env.clipboard.writeText('');
  await vscode.commands.executeCommand('saTokens.copyToken', outcome.id);
  const token = await vscode.env.clipboard.readText();
  assert.match(token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  return { id: outcome.id!, token };
}

suite('Token store: SecretStorage and the token ledger at start-up', () => {
  suiteSetup(async () => {
    await activeApi();
  });

  test('a window that starts with session-only on deletes stored tokens from SecretStorage itself, keeping them in its memory', async () => {
    const api = await activeApi();
    const { id, token } = await issue(['https://startup-session-only.example']);
    assert.equal(await api.requestTokenTesting.storedSecretSha256(id), sha256(token), 'stored before the restart');
    // The setting was turned on while VS Code was closed (or by Settings Sync): no change event, only a start.
    const started = api.requestTokenTesting.reopenStore({ sessionOnly: true });
    try {
      await started.ready;
      assert.equal(await api.requestTokenTesting.storedSecretSha256(id), undefined, 'the token is still in SecretStorage');
      assert.equal(await started.tokenSha256(id), sha256(token), 'usable in the window that moved it');
      assert.equal(fs.existsSync(path.join(api.requestTokenTesting.tokenLedgerDir, `${id}.json`)), false, 'its ledger entry is removed');
      const later = api.requestTokenTesting.reopenStore();
      try {
        await later.ready;
        assert.equal(later.list().some((m) => m.id === id), false);
      } finally {
        later.dispose();
      }
    } finally {
      started.dispose();
    }
  });

  test('the token ledger holds metadata and no token', async () => {
    const api = await activeApi();
    const { id, token } = await issue(['https://ledger.example']);
    const signature = token.split('.')[2]!;
    const files = filesUnder(api.requestTokenTesting.tokenLedgerDir);
    const entry = files.find((f) => path.basename(f) === `${id}.json`);
    assert.ok(entry !== undefined, `no ledger entry for ${id} in ${JSON.stringify(files.map((f) => path.basename(f)))}`);
    assert.equal(JSON.parse(fs.readFileSync(entry, 'utf8')).meta.id, id);
    for (const file of files) {
      const content = fs.readFileSync(file, 'utf8');
      assert.ok(!content.includes(token) && !content.includes(signature), `token found in ${file}`);
    }
    await vscode.commands.executeCommand('saTokens.forgetToken', id);
    assert.equal(await api.requestTokenTesting.storedSecretSha256(id), undefined);
    assert.equal(fs.existsSync(entry), false);
  });
});
