import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { oursId, peerId, type HostActivationResult, type HostActivationTiming } from './hostActivationProtocol';

/**
 * Loaded by the VS Code extension host as `extensionTestsPath` (code-server payload). Both extensions —
 * kube-sa-tokens (under development) and the empty peer (installed) — activate on `onStartupFinished`,
 * so the host activates them itself, side by side. The host marks each activation with performance
 * marks (`code/extHost/{will,did}LoadExtensionCode/<id>`, `{will,did}ActivateExtension/<id>`), which
 * are native Node marks in the extension host process; this module reads them and writes one JSON file
 * into BENCH_ACTIVATION_DIR. If the host has not activated one within a minute, this module does.
 */
type Mark = { name: string; startTime: number };

function marks(): Mark[] {
  const monaco = (globalThis as { MonacoPerformanceMarks?: { getMarks(): Mark[] } }).MonacoPerformanceMarks;
  const native = performance.getEntriesByType('mark').map((m) => ({ name: m.name, startTime: m.startTime + performance.timeOrigin }));
  return [...native, ...(monaco?.getMarks() ?? [])];
}

function timingOf(id: string, activatedBy: 'host' | 'bench'): HostActivationTiming {
  const all = marks();
  const at = (what: string) => {
    const mark = all.find((m) => m.name === `code/extHost/${what}/${id}`);
    if (!mark) {
      throw new Error(`the extension host recorded no ${what} mark for ${id}`);
    }
    return mark.startTime;
  };
  return {
    loadCodeMs: at('didLoadExtensionCode') - at('willLoadExtensionCode'),
    activateMs: at('didActivateExtension') - at('willActivateExtension'),
    totalMs: at('didActivateExtension') - at('willLoadExtensionCode'),
    activatedBy,
  };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function run(): Promise<void> {
  const dir = process.env.BENCH_ACTIVATION_DIR;
  if (!dir) {
    throw new Error('BENCH_ACTIVATION_DIR is not set: run through npm run bench');
  }
  const timings: Record<string, HostActivationTiming> = {};
  let error: string | undefined;
  try {
    const ids = [oursId, peerId];
    const extensions = ids.map((id) => {
      const extension = vscode.extensions.getExtension(id);
      if (!extension) {
        const loaded = vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id);
        throw new Error(`${id} is not loaded in this extension host (loaded: ${loaded.join(', ') || 'none'})`);
      }
      return extension;
    });
    const deadline = Date.now() + 60_000;
    while (extensions.some((e) => !e.isActive) && Date.now() < deadline) {
      await delay(100);
    }
    const activatedBy = new Map(extensions.map((e) => [e.id, e.isActive ? ('host' as const) : ('bench' as const)]));
    for (const extension of extensions) {
      await extension.activate();
    }
    // didActivateExtension is marked in a continuation after activate() settles.
    await delay(50);
    for (const id of ids) {
      timings[id] = timingOf(id, activatedBy.get(id) ?? 'bench');
    }
  } catch (e) {
    error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  const result: HostActivationResult = { timings, vscodeVersion: vscode.version, ...(error ? { error } : {}) };
  // Written under another name and renamed: the bench polls the folder for *.json and must never read a half-written file.
  const name = `load-${Date.now()}-${process.pid}`;
  writeFileSync(join(dir, `${name}.partial`), JSON.stringify(result));
  renameSync(join(dir, `${name}.partial`), join(dir, `${name}.json`));
}
