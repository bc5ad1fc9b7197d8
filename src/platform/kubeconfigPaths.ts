import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * The kubeconfig files kubectl would read: the override setting, else $KUBECONFIG, else ~/.kube/config.
 * Cheap (no I/O, no kube module), so the session can watch the files even when loading failed.
 */
export function kubeconfigPaths(override: string | readonly string[] | undefined, env: NodeJS.ProcessEnv = process.env, home = homedir()): string[] {
  const list = typeof override === 'string' ? [override] : [...(override ?? [])];
  const explicit = list.map((p) => p.trim()).filter((p) => p !== '');
  const raw = explicit.length > 0 ? explicit : env.KUBECONFIG ? env.KUBECONFIG.split(delimiter).filter((p) => p !== '') : [join(home, '.kube', 'config')];
  return [...new Set(raw.map((p) => expandHome(p, home)))];
}

function expandHome(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') || p.startsWith('~\\') ? join(home, p.slice(1)) : p;
}
