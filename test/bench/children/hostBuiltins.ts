/**
 * The VS Code extension host has long loaded these Node built-ins before any extension runs; a fresh
 * Node loads them lazily (node:os alone can cost several ms), which would be charged to whichever
 * contender asks first. Children that stand in for the extension host load them before measuring.
 */
export function preloadHostBuiltins(): void {
  for (const builtin of ['fs', 'fs/promises', 'os', 'path', 'crypto', 'events', 'util', 'url', 'net', 'tls', 'http', 'https', 'stream', 'child_process', 'zlib']) {
    process.getBuiltinModule(`node:${builtin}`);
  }
}
