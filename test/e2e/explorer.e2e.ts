import * as assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { serviceAccountsView, treeRow } from './locators';
import { openWorkbench, type Workbench } from './workbench';

suite('Explorer (UI)', () => {
  let workbench: Workbench;

  suiteSetup(async () => {
    workbench = await openWorkbench();
    await workbench.updateSettings({
      'workbench.colorTheme': 'Default Light Modern',
      'saTokens.kubeconfig': undefined,
      'saTokens.namespaces': undefined,
      'saTokens.pageSize': undefined,
    });
  });

  suiteTeardown(async () => {
    await workbench?.close();
  });

  const view = () => serviceAccountsView(workbench);
  const row = (label: string) => treeRow(workbench, label);

  test('expands context → namespace → service account and shows the rows', async () => {
    await workbench.openViewContainer('Kubernetes ServiceAccount Tokens');
    await row('sandbox-admin').waitFor({ state: 'visible', timeout: 60_000 });
    await row('build').waitFor({ state: 'visible', timeout: 60_000 });
    await row('build').click();
    await row('ci-bot').waitFor({ state: 'visible', timeout: 30_000 });
    await row('ci-bot').click();
    await row('ci-bot-token').waitFor({ state: 'visible', timeout: 30_000 });
    // Let the hover and focus settle for the screenshot.
    await row('payments').hover();

    // "label description" per row, read from the DOM the workbench renders for each tree item.
    const texts = await view()
      .locator('.monaco-list-row')
      .evaluateAll((rows) =>
        rows.map((r) => [r.querySelector('.label-name')?.textContent ?? '', r.querySelector('.label-description')?.textContent ?? ''].join(' ').replace(/\s+/g, ' ').trim()),
      );
    const at = (label: string) => texts.find((t) => t.startsWith(`${label} `) || t === label);
    assert.match(at('sandbox-admin') ?? '', /^sandbox-admin https:\/\/127\.0\.0\.1:\d+$/, texts.join(' | '));
    assert.ok(at('build') !== undefined, texts.join(' | '));
    assert.equal(at('ci-bot'), 'ci-bot AWS: ci-bot');
    assert.equal(at('deployer'), 'deployer AWS: deployer');
    assert.equal(at('builder'), 'builder');
    assert.equal(at('ci-bot-token'), 'ci-bot-token long-lived secret token · last used 2026-01-10');
    const order = ['sandbox-admin', 'build', 'builder', 'ci-bot', 'ci-bot-token', 'default', 'deployer'].map((l) => texts.findIndex((t) => t === l || t.startsWith(`${l} `)));
    assert.deepEqual([...order].sort((a, b) => a - b), order, `tree order: ${texts.join(' | ')}`);

    const shot = await workbench.screenshot('explorer');
    assert.ok(existsSync(shot) && statSync(shot).size > 10_000, 'a screenshot was written');
  });

  test('Access under a service account: the ways in, and who has them, confirmed by the API server', async () => {
    await row('ci-bot').waitFor({ state: 'visible', timeout: 30_000 });
    await row('Access').waitFor({ state: 'visible', timeout: 30_000 });
    await row('Access').click();
    await row('Confirmed by the API server').waitFor({ state: 'visible', timeout: 60_000 });
    await row('Mint tokens').click();
    const masters = row('Group system:masters');
    await masters.waitFor({ state: 'visible', timeout: 30_000 });
    const description = await masters.locator('.label-description').textContent();
    assert.match(description ?? '', /^confirmed by the API server · ClusterRoleBinding cluster-admin → ClusterRole cluster-admin/);
    for (const way of ['Run workloads as it', 'Impersonate it', 'Read its legacy tokens', 'Escalate (second-order)']) {
      assert.ok(await row(way).isVisible(), `${way} is listed`);
    }
    const shot = await workbench.screenshot('explorer-access');
    assert.ok(existsSync(shot) && statSync(shot).size > 10_000, 'a screenshot was written');
  });
});
