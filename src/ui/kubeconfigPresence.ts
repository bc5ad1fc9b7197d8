import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The kubeconfig files kubectl would read: the override setting, else $KUBECONFIG, else ~/.kube/config. */
export function kubeconfigPaths(override: string | string[] | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (override && override.length > 0) {
    return (Array.isArray(override) ? override : [override]).filter(Boolean);
  }
  if (env.KUBECONFIG) {
    return env.KUBECONFIG.split(delimiter).filter(Boolean);
  }
  return [join(homedir(), '.kube', 'config')];
}

/** True when at least one of the files exists. Cheap: no parsing, so it can run during activation. */
export async function anyFileExists(paths: string[]): Promise<boolean> {
  for (const path of paths) {
    try {
      await access(path);
      return true;
    } catch {
      // try the next one
    }
  }
  return false;
}
