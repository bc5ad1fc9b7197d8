/**
 * Loads the kubeconfig the way kubectl does, read-only.
 *
 * Why not client-node's `KubeConfig.loadFromDefault`: its merge differs from kubectl's in ways users
 * notice. It takes `current-context` from the LAST file that sets it (kubectl: the first), throws
 * "Duplicate cluster" where kubectl lets the first file win, throws on a missing file in KUBECONFIG
 * (kubectl skips it), and resolves only some relative paths. So the merge happens here, on the
 * parsed YAML, following client-go's `ClientConfigLoadingRules.Load`; client-node then gets one
 * resolved context (see `toClientNodeParts`) and handles the credentials (certs, tokens, token
 * files, exec plugins, OIDC).
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { loadAll as loadYamlAll, YAMLException } from 'js-yaml';
import { TokenError } from '../core/errors';
import type { KubeconfigContext, KubeconfigLoadOptions, KubeconfigSnapshot } from './clusterClient';
import { kubeconfigCandidates } from './kubeconfigFiles';
import { checkCluster, checkDataFields, checkUser } from './kubeconfigValidation';

type Json = Record<string, unknown>;

/** A named entry of `clusters`, `users` or `contexts`, plus the file it came from. */
interface NamedEntry {
  readonly name: string;
  readonly body: Json;
  readonly file: string;
}

/** The merged document: first file wins per named entry. Holds credentials: never log or show it. */
export interface MergedKubeconfig {
  readonly clusters: ReadonlyMap<string, NamedEntry>;
  readonly users: ReadonlyMap<string, NamedEntry>;
  readonly contexts: ReadonlyMap<string, NamedEntry>;
  readonly currentContext?: string;
}

/** The snapshot handed to the UI; the merged document stays behind a non-enumerable field. */
export interface LoadedKubeconfig extends KubeconfigSnapshot {
  readonly merged: MergedKubeconfig;
}

/** The pieces of one usable context (plain data; the client turns them into a client-node KubeConfig). */
export interface ResolvedContext {
  readonly contextName: string;
  readonly clusterName: string;
  readonly userName: string;
  readonly namespace: string;
  readonly cluster: Json;
  readonly user: Json;
}

export function loadKubeconfig(options: KubeconfigLoadOptions = {}): LoadedKubeconfig {
  const { files: candidates, explicit, source } = kubeconfigCandidates(options);
  const clusters = new Map<string, NamedEntry>();
  const users = new Map<string, NamedEntry>();
  const contexts = new Map<string, NamedEntry>();
  let currentContext: string | undefined;
  const used: string[] = [];
  const missing: string[] = [];

  for (const file of candidates) {
    const text = readKubeconfigFile(file, explicit);
    if (text === undefined) {
      missing.push(file);
      continue;
    }
    used.push(file);
    const doc = parseKubeconfig(text, file);
    const base = dirname(resolve(file));
    // kubectl: for each named map, an entry from an earlier file is never replaced by a later one.
    for (const entry of namedEntries(doc, 'clusters', 'cluster', file)) {
      checkDataFields(entry.body, { kind: 'cluster', name: entry.name, file });
      if (!clusters.has(entry.name)) {clusters.set(entry.name, { ...entry, body: resolveClusterPaths(entry.body, base) });}
    }
    for (const entry of namedEntries(doc, 'users', 'user', file)) {
      checkDataFields(entry.body, { kind: 'user', name: entry.name, file });
      if (!users.has(entry.name)) {users.set(entry.name, { ...entry, body: resolveUserPaths(entry.body, base) });}
    }
    for (const entry of namedEntries(doc, 'contexts', 'context', file)) {
      if (!contexts.has(entry.name)) {contexts.set(entry.name, entry);}
    }
    const cc = doc['current-context'];
    if (currentContext === undefined && typeof cc === 'string' && cc !== '') {
      currentContext = cc;
    }
  }

  if (used.length === 0) {
    const list = missing.join(', ');
    throw new TokenError(
      'ERR_KUBECONFIG_MISSING',
      missing.length === 1 ? `No kubeconfig file at ${list} (from ${source}).` : `None of the kubeconfig files exist: ${list} (from ${source}).`,
      { hint: 'Create a kubeconfig (for example with your cloud provider\'s CLI), set KUBECONFIG, or pick a file in the saTokens.kubeconfig setting.' },
    );
  }
  if (contexts.size === 0) {
    throw new TokenError('ERR_KUBECONFIG_INVALID', `The kubeconfig has no contexts (${used.join(', ')}).`, {
      hint: 'Add a context (kubectl config set-context NAME --cluster=C --user=U) or pick another kubeconfig file.',
    });
  }

  const merged: MergedKubeconfig = { clusters, users, contexts, currentContext };
  const contextList: KubeconfigContext[] = [...contexts.values()].map((entry) => describeContext(merged, entry));
  let currentContextProblem: string | undefined;
  if (currentContext === undefined) {
    currentContextProblem = 'The kubeconfig sets no current-context; pick a context.';
  } else if (!contexts.has(currentContext)) {
    currentContextProblem = `current-context "${currentContext}" names no context in ${used.join(', ')}; pick another context.`;
  }

  const snapshot = {
    files: used,
    watchFiles: candidates,
    currentContext,
    currentContextProblem,
    contexts: contextList,
  } as LoadedKubeconfig;
  // Non-enumerable so a snapshot logged or serialised by UI code never carries credentials.
  Object.defineProperty(snapshot, 'merged', { value: merged, enumerable: false });
  if (currentContextProblem === undefined) {delete (snapshot as { currentContextProblem?: string }).currentContextProblem;}
  if (currentContext === undefined) {delete (snapshot as { currentContext?: string }).currentContext;}
  return snapshot;
}

/** Picks the context to use: the given one, else current-context. Throws a TokenError naming what is wrong. */
export function resolveContext(config: LoadedKubeconfig, contextName?: string): ResolvedContext {
  const { merged } = config;
  const name = contextName ?? merged.currentContext;
  if (name === undefined) {
    throw new TokenError('ERR_CONTEXT_NOT_FOUND', 'The kubeconfig sets no current-context and no context was chosen.', {
      hint: 'Switch Context to pick one of the kubeconfig\'s contexts.',
    });
  }
  const ctx = merged.contexts.get(name);
  if (ctx === undefined) {
    const known = [...merged.contexts.keys()];
    throw new TokenError(
      'ERR_CONTEXT_NOT_FOUND',
      `Context "${name}" is not in the kubeconfig (${config.files.join(', ')}). Known contexts: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''}.`,
      { hint: 'Switch Context to pick an existing context, or fix current-context in the kubeconfig.' },
    );
  }
  const clusterName = stringField(ctx.body, 'cluster');
  const userName = stringField(ctx.body, 'user');
  const cluster = clusterName === undefined ? undefined : merged.clusters.get(clusterName);
  const user = userName === undefined ? undefined : merged.users.get(userName);
  if (cluster === undefined || user === undefined) {
    throw new TokenError('ERR_KUBECONFIG_INVALID', contextProblem(merged, ctx) ?? `Context "${name}" is incomplete.`, {
      hint: `Fix context "${name}" in ${ctx.file}, or Switch Context.`,
    });
  }
  const server = stringField(cluster.body, 'server');
  if (server === undefined) {
    throw new TokenError('ERR_KUBECONFIG_INVALID', `Cluster "${clusterName}" in ${cluster.file} has no server URL.`, {
      hint: `Add cluster.server to cluster "${clusterName}", or Switch Context.`,
    });
  }
  // What kubectl checks of the context it uses, before any request.
  checkCluster(cluster.body, { kind: 'cluster', name: clusterName as string, file: cluster.file });
  checkUser(user.body, { kind: 'user', name: userName as string, file: user.file });
  const namespace = stringField(ctx.body, 'namespace');
  return {
    contextName: name,
    clusterName: clusterName as string,
    userName: userName as string,
    namespace: namespace === undefined || namespace === '' ? 'default' : namespace,
    cluster: cluster.body,
    user: user.body,
  };
}

// ---------------------------------------------------------------------------------------------

function readKubeconfigFile(file: string, explicit: boolean): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      if (explicit) {
        throw new TokenError('ERR_KUBECONFIG_MISSING', `The kubeconfig file ${file} does not exist.`, {
          hint: 'Fix the path in the saTokens.kubeconfig setting, or clear it to use KUBECONFIG / ~/.kube/config.',
          cause: e,
        });
      }
      // kubectl silently skips missing files in KUBECONFIG (and a missing ~/.kube/config means "no config").
      return undefined;
    }
    throw new TokenError('ERR_KUBECONFIG_INVALID', `Cannot read the kubeconfig file ${file}: ${(e as Error).message}`, {
      hint: code === 'EACCES' ? 'Check the file\'s permissions.' : 'Check the path, or pick another kubeconfig file.',
      cause: e,
    });
  }
}

export function parseKubeconfig(text: string, file: string): Json {
  let doc: unknown;
  try {
    // loadAll, because js-yaml's load rejects an empty file, which kubectl reads as an empty config.
    const docs = loadYamlAll(text, { filename: file });
    if (docs.length > 1) {
      throw new TokenError('ERR_KUBECONFIG_INVALID', `The kubeconfig ${file} holds ${docs.length} YAML documents; a kubeconfig is one document.`, {
        hint: 'Remove the extra "---" separated documents, or split them into files listed in KUBECONFIG.',
      });
    }
    doc = docs[0];
  } catch (e) {
    if (e instanceof TokenError) {throw e;}
    if (e instanceof YAMLException) {
      const line = e.mark === undefined ? '' : `:${e.mark.line + 1}:${e.mark.column + 1}`;
      throw new TokenError('ERR_KUBECONFIG_INVALID', `The kubeconfig ${file}${line} is not valid YAML: ${e.reason}.`, {
        hint: 'Open the file and fix the YAML at that line, or pick another kubeconfig file.',
        cause: e,
      });
    }
    throw new TokenError('ERR_KUBECONFIG_INVALID', `The kubeconfig ${file} cannot be parsed: ${(e as Error).message}`, { cause: e });
  }
  if (doc === undefined || doc === null) {
    return {}; // an empty file is an empty config for kubectl, not an error
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new TokenError('ERR_KUBECONFIG_INVALID', `The kubeconfig ${file} is not a kubeconfig: its top level is not a mapping.`, {
      hint: 'A kubeconfig starts with apiVersion: v1, kind: Config, clusters:, users:, contexts:.',
    });
  }
  return doc as Json;
}

function namedEntries(doc: Json, listKey: 'clusters' | 'users' | 'contexts', bodyKey: string, file: string): NamedEntry[] {
  const list = doc[listKey];
  if (list === undefined || list === null) {return [];}
  if (!Array.isArray(list)) {
    throw new TokenError('ERR_KUBECONFIG_INVALID', `The kubeconfig ${file} is invalid: "${listKey}" must be a list.`, {
      hint: `Open the file and fix "${listKey}".`,
    });
  }
  const out: NamedEntry[] = [];
  list.forEach((item: unknown, i) => {
    if (typeof item !== 'object' || item === null) {
      throw new TokenError('ERR_KUBECONFIG_INVALID', `The kubeconfig ${file} is invalid: ${listKey}[${i}] is not a mapping.`);
    }
    const name = (item as Json).name;
    if (typeof name !== 'string' || name === '') {
      throw new TokenError('ERR_KUBECONFIG_INVALID', `The kubeconfig ${file} is invalid: ${listKey}[${i}] has no name.`, {
        hint: `Give ${listKey}[${i}] a name.`,
      });
    }
    const body = (item as Json)[bodyKey];
    out.push({ name, body: typeof body === 'object' && body !== null ? (body as Json) : {}, file });
  });
  return out;
}

function describeContext(merged: MergedKubeconfig, entry: NamedEntry): KubeconfigContext {
  const cluster = stringField(entry.body, 'cluster') ?? '';
  const server = merged.clusters.get(cluster) === undefined ? undefined : stringField(merged.clusters.get(cluster)!.body, 'server');
  const namespace = stringField(entry.body, 'namespace');
  const problem = contextProblem(merged, entry);
  return {
    name: entry.name,
    cluster,
    user: stringField(entry.body, 'user') ?? '',
    file: entry.file,
    ...(namespace === undefined || namespace === '' ? {} : { namespace }),
    ...(server === undefined ? {} : { server }),
    ...(problem === undefined ? {} : { problem }),
  };
}

function contextProblem(merged: MergedKubeconfig, entry: NamedEntry): string | undefined {
  const cluster = stringField(entry.body, 'cluster');
  const user = stringField(entry.body, 'user');
  if (cluster === undefined || cluster === '') {return `Context "${entry.name}" names no cluster.`;}
  if (!merged.clusters.has(cluster)) {return `Context "${entry.name}" names cluster "${cluster}", which is not in the kubeconfig.`;}
  // kubectl accepts a context without a user (anonymous); a named but missing user is an error.
  if (user !== undefined && user !== '' && !merged.users.has(user)) {
    return `Context "${entry.name}" names user "${user}", which is not in the kubeconfig.`;
  }
  if (stringField(merged.clusters.get(cluster)!.body, 'server') === undefined) {
    return `Cluster "${cluster}" of context "${entry.name}" has no server URL.`;
  }
  return undefined;
}

// client-go's ResolveLocalPaths: file references are relative to the file that defines the entry.
function resolveClusterPaths(body: Json, base: string): Json {
  return yaml11Booleans(resolveKeys(body, base, ['certificate-authority']), ['insecure-skip-tls-verify', 'disable-compression']);
}

/**
 * kubectl reads YAML as YAML 1.1 into typed fields: for a boolean field, yes/no/on/off (and y/n) are
 * booleans. js-yaml reads YAML 1.2, where they are strings; names keep their text either way.
 */
function yaml11Booleans(body: Json, keys: string[]): Json {
  const out: Json = { ...body };
  for (const key of keys) {
    const v = out[key];
    if (typeof v === 'string') {
      if (/^(y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE)$/.test(v)) {out[key] = true;}
      else if (/^(n|N|no|No|NO|off|Off|OFF|false|False|FALSE)$/.test(v)) {out[key] = false;}
    }
  }
  return out;
}

function resolveUserPaths(body: Json, base: string): Json {
  // kubectl's key is tokenFile (clientcmd/api/v1); it ignores token-file.
  const out = resolveKeys(body, base, ['client-certificate', 'client-key', 'tokenFile']);
  const exec = out.exec;
  // An exec command is resolved only when it contains a path separator (a bare name is looked up in PATH).
  if (typeof exec === 'object' && exec !== null) {
    const command = (exec as Json).command;
    if (typeof command === 'string' && command.includes(sep) && !isAbsolute(command)) {
      out.exec = { ...(exec as Json), command: join(base, command) };
    }
    out.exec = yaml11Booleans(out.exec as Json, ['provideClusterInfo']);
  }
  return out;
}

function resolveKeys(body: Json, base: string, keys: string[]): Json {
  const out: Json = { ...body };
  for (const key of keys) {
    const value = out[key];
    if (typeof value === 'string' && value !== '' && !isAbsolute(value)) {
      out[key] = join(base, value);
    }
  }
  return out;
}

function stringField(obj: Json, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' ? v : undefined;
}
