import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { suite, test } from 'mocha';

/** This file runs as dist/test/unit/layering.test.js; the sources live three levels up. */
const repoRoot = resolve(__dirname, '..', '..', '..');
const srcDir = join(repoRoot, 'src');

/** Module specifiers of static imports/exports, side-effect imports, dynamic import() and require(). */
export function importSpecifiers(source: string): string[] {
  // Comments could mention 'vscode' harmlessly; strip them (URLs in strings keep their '//' via the lookbehind).
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  const found: string[] = [];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      found.push(match[1]!);
    }
  }
  return found;
}

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  return [base, `${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

const isBare = (specifier: string): boolean => !specifier.startsWith('.');
const packageName = (specifier: string): string => specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;

/** Every file reachable from `entry` through relative imports, with the bare imports each makes. */
function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) {
      continue;
    }
    const specifiers = importSpecifiers(readFileSync(file, 'utf8'));
    seen.set(file, specifiers.filter(isBare));
    for (const specifier of specifiers.filter((s) => !isBare(s))) {
      const target = resolveRelative(file, specifier);
      if (target !== undefined) {
        queue.push(target);
      }
    }
  }
  return seen;
}

/** Violations of "no file under `dir` may reach a bare import of one of `forbidden`", as readable lines. */
function forbiddenReach(dir: string, forbidden: readonly string[]): string[] {
  const problems: string[] = [];
  for (const file of tsFiles(dir)) {
    for (const [reached, bare] of reachable(file)) {
      for (const specifier of bare) {
        if (forbidden.includes(packageName(specifier))) {
          const via = reached === file ? '' : ` (via ${relative(repoRoot, reached)})`;
          problems.push(`${relative(repoRoot, file)} imports '${specifier}'${via}`);
        }
      }
    }
  }
  return [...new Set(problems)];
}

suite('layering', () => {
  test('the import scanner sees every import form (so the rules below can fail)', () => {
    const source = [
      "import * as vscode from 'vscode';",
      "import type { X } from '@kubernetes/client-node';",
      "import {\n  a,\n  b,\n} from './multi';",
      "export { y } from '../up';",
      "import 'side-effect';",
      "const lazy = await import('lazy');",
      "const old = require('old');",
      "// import { no } from 'commented-out';",
      "/* import 'block-comment'; */",
      "const url = 'https://example.invalid/x'; import { z } from 'after-url';",
    ].join('\n');
    assert.deepEqual(importSpecifiers(source).sort(),
      ['../up', './multi', '@kubernetes/client-node', 'after-url', 'lazy', 'old', 'side-effect', 'vscode'].sort());
    assert.equal(packageName('@kubernetes/client-node/dist/gen'), '@kubernetes/client-node');
    assert.equal(packageName('vscode'), 'vscode');
  });

  test('src/core is pure: only jose, js-yaml, node:buffer and files inside src/core', () => {
    const coreDir = join(srcDir, 'core');
    const files = tsFiles(coreDir);
    assert.ok(files.length > 5, 'src/core not found: the test would pass vacuously');
    const problems: string[] = [];
    for (const file of files) {
      for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
        if (isBare(specifier)) {
          // Libraries that compute, never do I/O: JOSE, YAML serialisation, base64 decoding for the redactor.
          if (!['jose', 'js-yaml', 'node:buffer'].includes(packageName(specifier))) {
            problems.push(`${relative(repoRoot, file)} imports '${specifier}' (core may import only jose, js-yaml and node:buffer)`);
          }
        } else {
          const target = resolveRelative(file, specifier);
          if (target === undefined || !target.startsWith(coreDir + '/')) {
            problems.push(`${relative(repoRoot, file)} imports '${specifier}', outside src/core`);
          }
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  test('src/core never reaches vscode or client-node', () => {
    assert.deepEqual(forbiddenReach(join(srcDir, 'core'), ['vscode', '@kubernetes/client-node']), []);
  });

  test('src/kube never reaches vscode, even through other layers', () => {
    assert.deepEqual(forbiddenReach(join(srcDir, 'kube'), ['vscode']), []);
  });

  test('the inspector page imports only its own files, the protocol and dependency-free core modules (one copy of each formatter and label)', () => {
    const pageDir = join(srcDir, 'inspector', 'page');
    const coreDir = join(srcDir, 'core');
    const dependencyFree = (file: string): boolean => file.startsWith(coreDir + '/') && [...reachable(file).values()].every((bare) => bare.length === 0);
    const allowed = [join(srcDir, 'inspector', 'protocol.ts')];
    const files = tsFiles(pageDir);
    assert.ok(files.length > 0, 'src/inspector/page not found: the test would pass vacuously');
    const problems: string[] = [];
    for (const file of files) {
      for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
        const target = isBare(specifier) ? undefined : resolveRelative(file, specifier);
        if (target === undefined || !(allowed.includes(target) || dependencyFree(target) || target.startsWith(pageDir + '/'))) {
          problems.push(`${relative(repoRoot, file)} imports '${specifier}'`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  test('what the page and the host share is dependency-free', () => {
    const viewModel = join(srcDir, 'core', 'inspector', 'inspectorViewModel.ts');
    assert.deepEqual(importSpecifiers(readFileSync(viewModel, 'utf8')), []);
    const protocol = join(srcDir, 'inspector', 'protocol.ts');
    assert.deepEqual([...new Set(importSpecifiers(readFileSync(protocol, 'utf8')))], ['../core/inspector/inspectorViewModel']);
  });

  test('extension.ts names every feature: each feature folder\'s register is called from it', () => {
    const features = readdirSync(srcDir).filter((name) => existsSync(join(srcDir, name, 'index.ts')) && name !== 'kube');
    assert.deepEqual(features.sort(), ['expiry', 'explorer', 'inspector', 'requestToken']);
    const root = readFileSync(join(srcDir, 'extension.ts'), 'utf8');
    for (const feature of features) {
      assert.match(root, new RegExp(`import \\* as ${feature} from '\\./${feature}';`), `extension.ts does not import ${feature}`);
      assert.match(root, new RegExp(`\\b${feature}\\.register\\(context, services\\)`), `extension.ts does not register ${feature}`);
      assert.match(readFileSync(join(srcDir, feature, 'index.ts'), 'utf8'), /^export function register\(context: vscode\.ExtensionContext, services: Services/m);
    }
  });

  test('features reach each other only through services: no feature folder imports another', () => {
    const features = ['expiry', 'explorer', 'inspector', 'requestToken'];
    const problems: string[] = [];
    for (const feature of features) {
      for (const file of tsFiles(join(srcDir, feature))) {
        for (const specifier of importSpecifiers(readFileSync(file, 'utf8')).filter((s) => !isBare(s))) {
          const target = resolveRelative(file, specifier);
          const other = features.find((f) => f !== feature && target?.startsWith(join(srcDir, f) + '/'));
          if (other !== undefined) {
            problems.push(`${relative(repoRoot, file)} imports '${specifier}' (feature ${other})`);
          }
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});
