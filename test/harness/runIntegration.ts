import { cpSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/sandbox';
import { launchChromium } from './browser';
import { leakScanTest, runLeakScan, UiTextRecorder, workbenchStorage } from './integrationLeakScan';
import type { LeakHit } from './leakScan';
import { startCodeServer, workbenchUrl } from './codeServer';
import { failureLine, runLayerMain, type LayerResult } from './layerResult';
import { distDir, repoRoot, resultsDir } from './paths';
import { delay, stopAll, stopAllOnExit } from './processes';
import { startControlPlane } from './controlPlane';
import { kubeApiserverEnv, sandboxEnv } from './sandboxEnv';
import { makeTempDir, removeTempDir } from './tempDirs';
import { assertModernNode, log } from './toolchain';

const testEntry = join(distDir, 'test', 'integration', 'index.js');
const overallTimeoutMs = Number(process.env.SA_TOKENS_INTEGRATION_TIMEOUT_MS ?? 15 * 60_000);
const silenceTimeoutMs = Number(process.env.SA_TOKENS_INTEGRATION_SILENCE_MS ?? 4 * 60_000);

/** Runs the leak scan over the given folders and captured texts, while they still exist. */
type LeakScanner = (folders: { path: string; label: string }[], texts: { place: string; text: string }[]) => LeakHit[];

interface HostReport {
  done: boolean;
  passed: number;
  failed: number;
  tests: { title: string; state: string; error?: string }[];
  fatal?: string;
}

/** Runs the integration suite inside a real VS Code extension host against the sandbox cluster. */
export async function runIntegration(): Promise<LayerResult> {
  assertModernNode();
  stopAllOnExit();
  if (!existsSync(testEntry)) {
    throw new Error(`${testEntry} is missing: run npm run build first`);
  }
  // The real server caps lifetimes at a day, as many clusters do, so Request Token meets its warning.
  const [sandbox, controlPlane] = await Promise.all([startSandbox({ fixture: 'demo' }), startControlPlane({ fixture: 'demo', maxTokenExpirationSeconds: 86_400 })]);
  const reportDir = makeTempDir('integration-report');
  const workspace = makeTempDir('workspace');
  const resultFile = join(reportDir, 'result.json');
  const env = { ...sandboxEnv(sandbox), ...kubeApiserverEnv(controlPlane), SA_TOKENS_TEST_RESULT: resultFile, ...(process.env.SA_TOKENS_TEST_GREP ? { SA_TOKENS_TEST_GREP: process.env.SA_TOKENS_TEST_GREP } : {}) };
  try {
    const scan: LeakScanner = (folders, texts) =>
      runLeakScan({
        tokens: sandbox.issuedTokens,
        fixtureKubeconfigs: [sandbox.kubeconfigPath, controlPlane.kubeconfigPath],
        folders: [...folders, { path: workspace, label: 'workspace' }, { path: reportDir, label: 'test report' }],
        texts,
      });
    let hits: LeakHit[] | undefined;
    if (process.env.VSCODE_EXECUTABLE_PATH || process.argv.includes('--desktop')) {
      await runInDesktopVsCode(env, workspace);
    } else {
      hits = await runInCodeServer(env, workspace, resultFile, scan);
    }
    const report = JSON.parse(readFileSync(resultFile, 'utf8')) as HostReport;
    if (hits !== undefined) {
      const test = leakScanTest(hits, sandbox.issuedTokens.length);
      report.tests.push(test);
      report[test.state === 'passed' ? 'passed' : 'failed'] += 1;
    }
    return toLayerResult(report);
  } finally {
    await stopAll();
    await sandbox.close();
    await controlPlane.close();
    removeTempDir(workspace);
    removeTempDir(reportDir);
  }
}

async function runInCodeServer(env: Record<string, string>, workspace: string, resultFile: string, scan: LeakScanner): Promise<LeakHit[]> {
  const server = await startCodeServer({ env });
  try {
    const browser = await launchChromium();
    try {
      const page = await browser.browser.newPage();
      const recorder = new UiTextRecorder(page);
      await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: repoRoot, extensionTestsPath: testEntry }), { waitUntil: 'domcontentloaded', timeout: 120_000 });
      await waitForReport(resultFile, server.userDataDir).finally(() => recorder.stop());
      const texts = await recorder.stop();
      texts.push(await workbenchStorage(page));
      // Closing the workbench makes it write its state (globalState, Backups) before the folders are read.
      await page.close({ runBeforeUnload: true }).catch(() => undefined);
      await delay(3000);
      return scan(
        [
          { path: server.userDataDir, label: 'code-server user data' },
          { path: browser.profileDir, label: 'browser profile' },
        ],
        texts,
      );
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
}

/** Desktop VS Code through @vscode/test-electron: downloads VS Code unless VSCODE_EXECUTABLE_PATH names one. */
async function runInDesktopVsCode(env: Record<string, string>, workspace: string): Promise<void> {
  const { runTests } = await import('@vscode/test-electron');
  await runTests({
    ...(process.env.VSCODE_EXECUTABLE_PATH ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH } : {}),
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: testEntry,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: env,
  }).catch(() => undefined); // failures are read from the report file, like the code-server path
}

/** code-server's folder goes when it stops: a hung host's logs are kept with the test results instead. */
function keepHostLogs(userDataDir: string): string {
  const kept = join(resultsDir, 'integration-host-logs');
  try {
    cpSync(join(userDataDir, 'logs'), kept, { recursive: true });
  } catch {
    return join(userDataDir, 'logs');
  }
  return kept;
}

async function waitForReport(resultFile: string, userDataDir: string): Promise<void> {
  const started = Date.now();
  let lastProgress = started;
  let lastSize = -1;
  for (;;) {
    if (existsSync(resultFile)) {
      return;
    }
    const progressFile = `${resultFile}.progress`;
    if (existsSync(progressFile)) {
      const size = statSync(progressFile).mtimeMs;
      if (size !== lastSize) {
        lastSize = size;
        lastProgress = Date.now();
      }
    }
    const now = Date.now();
    if (now - started > overallTimeoutMs || now - lastProgress > silenceTimeoutMs) {
      throw new Error(
        `The VS Code extension host did not finish the integration suite (${Math.round((now - started) / 1000)} s, ` +
          `${Math.round((now - lastProgress) / 1000)} s since the last test ended). The host is hung or the extension failed to load; ` +
          `see the extension host log under ${keepHostLogs(userDataDir)}.`,
      );
    }
    await delay(250);
  }
}

function toLayerResult(report: HostReport): LayerResult {
  for (const t of report.tests) {
    process.stdout.write(`  ${t.state === 'passed' ? '✓' : '✗'} ${t.title}\n`);
    if (t.error) {
      process.stdout.write(`      ${t.error.split('\n').slice(0, 6).join('\n      ')}\n`);
    }
  }
  const failures = report.tests.filter((t) => t.state === 'failed').map((t) => failureLine(t.title, t.error));
  if (report.fatal) {
    failures.push(`suite crashed: ${report.fatal.split('\n')[0]}`);
  }
  return { layer: 'integration', passed: report.passed, failed: report.failed + (report.fatal ? 1 : 0), failures };
}

if (require.main === module) {
  log('integration layer: real VS Code extension host (code-server) against the sandbox and the real control plane');
  runLayerMain(runIntegration);
}
