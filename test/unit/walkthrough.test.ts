import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { suite, test } from 'mocha';
import { commandIds, contextKeys, viewIds, walkthroughIds } from '../../src/constants';
import { walkthroughMediaFiles, walkthroughsOf } from './walkthroughManifest';

/** This file runs as dist/test/unit/walkthrough.test.js; the repository root is three levels up. */
const repoRoot = resolve(__dirname, '..', '..', '..');
const walkthroughs = walkthroughsOf(repoRoot);
const steps = walkthroughs.flatMap((w) => w.steps);

/** VS Code's own commands a step may link to: the generated focus command of our view, and opening a setting. */
const workbenchCommands = new Set([`${viewIds.serviceAccounts}.focus`, 'workbench.action.openSettings']);

/** `command:` link targets in Markdown (`[label](command:id?args)`), without their arguments. */
function commandLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(command:([^)?\s]+)/g)].map((m) => m[1]!);
}

function srcFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? srcFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

suite('Get Started walkthrough (manifest)', () => {
  test('one walkthrough, with the id in constants, and six steps from kubeconfig to expiry', () => {
    assert.deepEqual(walkthroughs.map((w) => w.id), [walkthroughIds.getStarted]);
    assert.deepEqual(steps.map((s) => s.id), ['kubeconfig', 'context', 'browse', 'request', 'inspect', 'expiry']);
    for (const step of steps) {
      assert.ok(step.title.trim() !== '' && step.description.trim() !== '', `${step.id} has a title and a description`);
    }
  });

  test('every command a step links to is contributed (or is the view\'s own focus command, or Open Settings)', () => {
    const contributed = new Set<string>(Object.values(commandIds));
    const media = walkthroughMediaFiles(walkthroughs).filter((f) => f.endsWith('.md')).map((f) => readFileSync(join(repoRoot, f), 'utf8'));
    const linked = [...steps.map((s) => s.description), ...media].flatMap(commandLinks);
    assert.ok(linked.length >= steps.length, 'the steps have buttons');
    assert.deepEqual(linked.filter((id) => !contributed.has(id) && !workbenchCommands.has(id)), []);
    for (const step of steps) {
      assert.ok(commandLinks(step.description).length > 0, `${step.id} has at least one button`);
    }
  });

  test('every step completes on a context key the extension sets when the thing happened, never on a click alone', () => {
    const known = new Map(Object.entries(contextKeys).map(([name, key]) => [key, name]));
    const code = srcFiles(join(repoRoot, 'src')).filter((f) => !f.endsWith(join('src', 'constants.ts'))).map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const step of steps) {
      const events = step.completionEvents ?? [];
      assert.ok(events.length > 0, `${step.id} has completion events`);
      for (const event of events) {
        assert.match(event, /^onContext:/, `${step.id}: ${event} is a context key, not a command or a link`);
        const keys = [...event.slice('onContext:'.length).matchAll(/saTokens\.[\w.]+/g)].map((m) => m[0]);
        assert.ok(keys.length > 0, `${step.id}: ${event} names a saTokens context key`);
        for (const key of keys) {
          const name = known.get(key as (typeof contextKeys)[keyof typeof contextKeys]);
          assert.ok(name !== undefined, `${step.id}: ${key} is not in contextKeys (src/constants.ts)`);
          assert.ok(code.includes(`new ContextKey<boolean>(contextKeys.${name})`), `${step.id}: nothing in src sets contextKeys.${name}`);
        }
      }
    }
  });

  test('every step shows a local Markdown or SVG file under media/walkthrough/, with no network images', () => {
    const files = walkthroughMediaFiles(walkthroughs);
    assert.equal(files.length, steps.length, 'one media file per step');
    for (const step of steps) {
      const file = step.media.markdown ?? step.media.svg;
      assert.ok(file !== undefined && step.media.image === undefined, `${step.id} shows Markdown or SVG`);
      assert.match(file, /^media\/walkthrough\/[\w-]+\.(md|svg)$/);
      assert.ok(existsSync(join(repoRoot, file)), `${file} exists`);
      const text = readFileSync(join(repoRoot, file), 'utf8');
      assert.doesNotMatch(text, /!\[[^\]]*\]\(\s*(https?:)?\/\//, `${file} embeds no network image`);
      assert.doesNotMatch(text, /\b(src|href)\s*=\s*["'](https?:)?\/\//, `${file} loads nothing from the network`);
      if (step.media.svg !== undefined) {
        assert.ok((step.media.altText ?? '').trim() !== '', `${step.id} has alt text for its SVG`);
        assert.match(text, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, `${file} is an SVG`);
        assert.match(text, /<title[^>]*>[^<]+<\/title>/, `${file} has a title for screen readers`);
        // VS Code shows it under a CSP that allows only its own nonce'd style: colours must be presentation attributes.
        assert.doesNotMatch(text, /<style|\sstyle\s*=/, `${file} uses no style element or attribute`);
      }
    }
  });
});
