/**
 * Child process of the require-time row: `node requireChild.js <module>` prints `{"ms":...}`, the time
 * `require(<module>)` takes in a fresh Node. `vscode` resolves to an empty stub (only load time is
 * measured; activate is not called). The stub is installed for every module, the empty peer included.
 */
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { preloadHostBuiltins } from './hostBuiltins';

const target = process.argv[2];
if (process.argv.includes('--preload-builtins')) {
  preloadHostBuiltins();
}
/** Any property, call or `new` yields another stub: module top levels like `new vscode.ThemeIcon(...)` run. */
function deepStub(): unknown {
  const target = function () {};
  return new Proxy(target, {
    get: (_t, property) => (property === 'then' || property === Symbol.toPrimitive || property === '__esModule' ? undefined : deepStub()),
    apply: () => deepStub(),
    construct: () => deepStub() as object,
  });
}
/**
 * esbuild's CommonJS interop copies the module's *own* properties, so a bare Proxy is not enough: give the
 * stub every top-level export name of the `vscode` API (read from @types/vscode), each a deep stub.
 */
function vscodeStub(): Record<string, unknown> {
  const names = new Set<string>();
  try {
    const typesFile = createRequire(__filename).resolve('@types/vscode/index.d.ts');
    for (const match of readFileSync(typesFile, 'utf8').matchAll(/^\s{1,4}export (?:class|namespace|enum|const|function|let) (\w+)/gm)) {
      names.add(match[1]);
    }
  } catch {
    // no @types/vscode: modules that touch vscode at load time will fail loudly, which is the right signal
  }
  return Object.fromEntries([...names].map((name) => [name, deepStub()]));
}
const stub = { exports: vscodeStub() };
const mod = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const originalLoad = mod._load;
mod._load = function (request: string, parent: unknown, isMain: boolean) {
  if (request === 'vscode') {
    return stub.exports;
  }
  return originalLoad.call(this, request, parent, isMain);
};

// A require bound to the target itself, so resolution matches how the host loads the bundle.
const load = createRequire(target);
const start = process.hrtime.bigint();
load(target);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(JSON.stringify({ ms }));
