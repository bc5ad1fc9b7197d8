import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { suite, test } from 'mocha';
import { commandIds, configSection, productName, settingIds, viewIds, webviewIds } from '../../src/constants';

/** This file runs as dist/test/unit/manifest.test.js; the repository root is three levels up. */
const repoRoot = resolve(__dirname, '..', '..', '..');

interface Manifest {
  readonly displayName: string;
  readonly activationEvents: readonly string[];
  readonly capabilities?: { readonly untrustedWorkspaces?: { readonly supported: boolean | 'limited'; readonly restrictedConfigurations?: readonly string[] } };
  readonly contributes: {
    readonly commands: readonly { readonly command: string; readonly category?: string; readonly icon?: string }[];
    readonly views: Readonly<Record<string, readonly { readonly id: string; readonly contextualTitle?: string }[]>>;
    readonly viewsContainers: { readonly activitybar: readonly { readonly id: string; readonly title: string }[] };
    readonly configuration: { readonly properties: Readonly<Record<string, { readonly scope?: string }>> };
    readonly menus: Readonly<Record<string, readonly { readonly command?: string }[]>>;
  };
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const sorted = (values: Iterable<string>): string[] => [...values].sort();

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

// The host-side check (every contributed command has a handler and the reverse) is in
// test/integration/activation.test.ts; these keep the ids themselves from drifting.
suite('manifest and constants', () => {
  test('every command id in constants is contributed, and every contributed command has an id in constants', () => {
    assert.deepEqual(sorted(Object.values(commandIds)), sorted(manifest.contributes.commands.map((c) => c.command)));
  });

  test('users meet one name: display name, every command category, the view container and the view\'s contextual title', () => {
    assert.equal(manifest.displayName, productName);
    assert.deepEqual([...new Set(manifest.contributes.commands.map((c) => c.category))], [productName]);
    assert.deepEqual(manifest.contributes.viewsContainers.activitybar.map((c) => c.title), [productName]);
    assert.deepEqual(Object.values(manifest.contributes.views).flat().map((v) => v.contextualTitle), [productName]);
    // Texts that name a command name it with its category, as the palette shows it.
    const text = readFileSync(join(repoRoot, 'package.json'), 'utf8');
    const categories = [...text.matchAll(/\*\*([A-Za-z ]+): [^*\n"]+\*\*/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(categories)].filter((c) => c !== productName), []);
  });

  test('Renew and Toggle Auto-Renew, side by side on a token row, have icons that tell them apart', () => {
    const icon = (id: string) => manifest.contributes.commands.find((c) => c.command === id)?.icon;
    const renew = icon(commandIds.renewToken);
    const autoRenew = icon(commandIds.toggleAutoRenew);
    assert.ok(renew !== undefined && autoRenew !== undefined, `${renew} / ${autoRenew}`);
    // refresh and sync are both circular arrows: only one of the two may use them.
    const arrows = ['$(refresh)', '$(sync)'];
    assert.ok(!(arrows.includes(renew) && arrows.includes(autoRenew)), `${renew} / ${autoRenew}`);
  });

  test('every command a menu names is contributed', () => {
    const contributed = new Set<string>(Object.values(commandIds));
    const named = Object.values(manifest.contributes.menus).flat().flatMap((item) => (item.command === undefined ? [] : [item.command]));
    assert.ok(named.length > 0);
    assert.deepEqual(named.filter((command) => !contributed.has(command)), []);
  });

  test('view, container and webview ids match the manifest', () => {
    assert.deepEqual(sorted(Object.values(manifest.contributes.views).flat().map((v) => v.id)), [viewIds.serviceAccounts]);
    assert.deepEqual(manifest.contributes.viewsContainers.activitybar.map((c) => c.id), [viewIds.container]);
    assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${webviewIds.tokenInspector}`));
  });

  test('every setting the code reads is declared', () => {
    const declared = Object.keys(manifest.contributes.configuration.properties);
    for (const id of Object.values(settingIds)) {
      assert.ok(declared.includes(`${configSection}.${id}`), `${configSection}.${id} is read but not declared`);
    }
  });

  test('no saTokens id is spelled out in code outside src/constants.ts', () => {
    const problems: string[] = [];
    for (const file of tsFiles(join(repoRoot, 'src')).filter((f) => !f.endsWith(join('src', 'constants.ts')))) {
      // Comments may name a setting or command for the reader; code must use the constants.
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
      for (const match of code.matchAll(/['"`]saTokens\.[A-Za-z./]+['"`]/g)) {
        problems.push(`${relative(repoRoot, file)}: ${match[0]}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test('a workspace cannot choose the kubeconfig: the setting is machine-scoped, and workspace trust support is declared', () => {
    // A kubeconfig's exec plugins run programs; VS Code's own extensions scope such settings (git.path,
    // typescript.npm, typescript.tsserver.pluginPaths) `machine`, which workspace settings cannot set.
    const kubeconfig = manifest.contributes.configuration.properties[`${configSection}.${settingIds.kubeconfig}`];
    assert.equal(kubeconfig?.scope, 'machine');
    const trust = manifest.capabilities?.untrustedWorkspaces;
    assert.ok(trust !== undefined, 'capabilities.untrustedWorkspaces is declared');
    if (trust.supported !== true) {
      assert.ok(trust.supported === false || trust.restrictedConfigurations?.includes(`${configSection}.${settingIds.kubeconfig}`));
    }
  });
});
