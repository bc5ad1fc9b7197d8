import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as KubeModule from '../../src/kube/index';
import { distDir } from './benchPaths';

export type KubeModuleExports = typeof KubeModule;

/** Set by runBench to the shipped (production) build's kube bundle; children inherit it. */
export const kubeBundleEnvVar = 'BENCH_KUBE_BUNDLE';

/** The real artefact the extension loads lazily (kube/index.js of the shipped build, else dist/), not a re-bundle of src/kube. */
export function kubeBundlePath(): string {
  return process.env[kubeBundleEnvVar] ?? join(distDir, 'kube', 'index.js');
}

export function loadKubeBundle(): KubeModuleExports {
  return createRequire(__filename)(kubeBundlePath()) as KubeModuleExports;
}
