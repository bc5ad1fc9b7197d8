/**
 * Child process of the require-time row: `node requireChild.js <module>` prints `{"ms":...}`, the time
 * `require(<module>)` takes in a fresh Node. `vscode` resolves to an empty stub (only load time is
 * measured; activate is not called). The stub is installed for every module, the empty peer included.
 */
import Module, { createRequire } from 'node:module';

const target = process.argv[2];
if (process.argv.includes('--preload-builtins')) {
  // The VS Code extension host has long loaded these before any extension; fresh Node loads them lazily
  // (node:os alone can cost several ms), which would be charged to whichever module asks first.
  for (const builtin of ['fs', 'fs/promises', 'os', 'path', 'crypto', 'events', 'util', 'url', 'net', 'tls', 'http', 'https', 'stream', 'child_process', 'zlib']) {
    process.getBuiltinModule(`node:${builtin}`);
  }
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
const stub = { exports: deepStub() };
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
