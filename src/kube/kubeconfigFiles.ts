import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { KubeconfigLoadOptions } from './clusterClient';

/**
 * The kubeconfig files kubectl would read, in merge order: the saTokens.kubeconfig setting, else
 * $KUBECONFIG, else ~/.kube/config; and whether they were named explicitly (a missing explicit file is an
 * error). No I/O and no client-node, so the session can watch the files even when loading failed.
 */
export function kubeconfigCandidates(options: KubeconfigLoadOptions = {}): { files: string[]; explicit: boolean; source: string } {
  const env = options.env ?? process.env;
  const explicit = (typeof options.paths === 'string' ? [options.paths] : [...(options.paths ?? [])]).map((p) => p.trim()).filter((p) => p !== '');
  if (explicit.length > 0) {
    return { files: dedupe(explicit.map((p) => expandHome(p, options.homeDir))), explicit: true, source: 'the saTokens.kubeconfig setting' };
  }
  const kubeconfigEnv = env.KUBECONFIG;
  if (kubeconfigEnv !== undefined && kubeconfigEnv !== '') {
    // kubectl splits on the platform's list separator (':' or ';'), drops empty items and duplicates.
    const files = dedupe(kubeconfigEnv.split(delimiter).filter((p) => p !== '').map((p) => expandHome(p, options.homeDir)));
    if (files.length > 0) {
      return { files, explicit: false, source: 'KUBECONFIG' };
    }
  }
  return { files: [join(options.homeDir ?? homedir(), '.kube', 'config')], explicit: false, source: 'the default location' };
}

function expandHome(p: string, homeDir?: string): string {
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) {
    return join(homeDir ?? homedir(), p.slice(1));
  }
  return p;
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}
