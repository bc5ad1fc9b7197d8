/**
 * One value per process, shared by every bundle that includes the module asking: each test file is
 * bundled on its own, so module-level state would give the runner and each test file separate copies.
 */
export function processWide<T>(name: string, create: () => T): T {
  const store = globalThis as typeof globalThis & Record<symbol, T | undefined>;
  const key = Symbol.for(`kube-sa-tokens.harness.${name}`);
  return (store[key] ??= create());
}
