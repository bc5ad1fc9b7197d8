import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as KubeModule from '../../src/kube/index';
import { distDir } from './benchPaths';

export type KubeModuleExports = typeof KubeModule;

/** The real artefact the extension loads lazily (dist/kube/index.js), not a re-bundle of src/kube. */
export const kubeBundlePath = join(distDir, 'kube', 'index.js');

export function loadKubeBundle(): KubeModuleExports {
  return createRequire(__filename)(kubeBundlePath) as KubeModuleExports;
}
