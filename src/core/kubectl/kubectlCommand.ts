import { formatGoDuration } from '../tokenRequest/duration';
import { shellQuote } from './shellQuote';
import type { TokenRequestOptions } from '../tokenRequest/tokenRequest';

/** A shell command line plus what it cannot reproduce. */
export interface KubectlCommand {
  /** The command, POSIX-shell quoted. */
  readonly command: string;
  /** The same command as an argument vector (no quoting), e.g. for execFile. */
  readonly args: readonly string[];
  /** One sentence per requested option that `kubectl create token` has no flag for. */
  readonly notes: string[];
}

/** Where the command should point. */
export interface KubectlCommandTarget {
  readonly context?: string;
  readonly kubeconfig?: string;
}

/**
 * The `kubectl create token` command equivalent to the options, for the Review step's "copy" button.
 * Options kubectl cannot express (dryRun, fieldManager, fieldValidation, pretty) are listed in `notes`.
 */
export function toKubectlCreateTokenCommand(options: TokenRequestOptions, target: KubectlCommandTarget = {}): KubectlCommand {
  const args: string[] = ['kubectl'];
  if (target.kubeconfig !== undefined && target.kubeconfig !== '') {
    args.push('--kubeconfig', target.kubeconfig);
  }
  if (target.context !== undefined && target.context !== '') {
    args.push('--context', target.context);
  }
  args.push('create', 'token', options.serviceAccount, '-n', options.namespace);
  for (const audience of options.audiences) {
    args.push('--audience', audience);
  }
  if (options.expirationSeconds !== undefined && options.expirationSeconds !== 0) {
    args.push('--duration', formatGoDuration(options.expirationSeconds));
  }
  const bound = options.boundObject;
  if (bound !== undefined) {
    args.push('--bound-object-kind', bound.kind, '--bound-object-name', bound.name);
    if (bound.uid !== undefined && bound.uid !== '') {
      args.push('--bound-object-uid', bound.uid);
    }
  }

  const notes: string[] = [];
  if (options.dryRun === true) {
    notes.push('kubectl create token has no --dry-run=server; the command issues a token without dryRun=All (the server mints a real token either way).');
  }
  if (options.fieldManager !== undefined && options.fieldManager !== '') {
    notes.push(`kubectl create token has no --field-manager; fieldManager=${options.fieldManager} is not sent.`);
  }
  if (options.fieldValidation !== undefined) {
    notes.push(`kubectl create token has no --validate for this request; fieldValidation=${options.fieldValidation} is not sent.`);
  }
  if (options.pretty === true) {
    notes.push('pretty=true only indents the JSON response; kubectl prints the bare token.');
  }
  return { command: args.map(shellQuote).join(' '), args, notes };
}
