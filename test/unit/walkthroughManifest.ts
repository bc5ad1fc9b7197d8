import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of `contributes.walkthroughs` the checks read (the unit test and the VSIX test). */
export interface WalkthroughStep {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly media: { readonly markdown?: string; readonly svg?: string; readonly image?: string; readonly altText?: string };
  readonly completionEvents?: readonly string[];
}

export interface Walkthrough {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly steps: readonly WalkthroughStep[];
}

export function walkthroughsOf(repoRoot: string): readonly Walkthrough[] {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { walkthroughs?: Walkthrough[] } };
  return manifest.contributes.walkthroughs ?? [];
}

/** Every file a walkthrough step shows, relative to the repository root. */
export function walkthroughMediaFiles(walkthroughs: readonly Walkthrough[]): string[] {
  return walkthroughs.flatMap((w) => w.steps.flatMap((s) => [s.media.markdown, s.media.svg, s.media.image].filter((f): f is string => f !== undefined)));
}
