import { shellQuote } from './shellQuote';
import { toYaml } from './toYaml';

import { copyFormatLabels, type CopyFormat } from '../inspector/inspectorViewModel';

export { copyFormatLabels, copyFormats, type CopyFormat } from '../inspector/inspectorViewModel';

/** Where the token is used: the cluster entry of the context it belongs to. */
export interface CopyTarget {
  readonly server: string;
  readonly clusterName: string;
  /** Context name, for the CA extraction hint. */
  readonly contextName?: string;
  /** `certificate-authority` (an absolute path) from the kubeconfig. */
  readonly caFile?: string;
  /** `certificate-authority-data` (base64 PEM) from the kubeconfig, or the CA file read and encoded. */
  readonly caData?: string;
  /** Only when the kubeconfig itself says `insecure-skip-tls-verify: true`. */
  readonly insecure?: boolean;
  readonly tlsServerName?: string;
  readonly proxyUrl?: string;
}

/** Who the token is, for names in the kubeconfig. */
export interface CopySubject {
  readonly namespace?: string;
  readonly serviceAccount?: string;
}

/** A copyable text plus what the user should know about it (shown next to the "copied" notice). */
export interface CopyText {
  readonly text: string;
  readonly notes: string[];
}

/** The SelfSubjectReview call: what `kubectl auth whoami` does, and answers "who is this token?". */
const whoamiPath = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const whoamiBody = '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}';

function caHint(target: CopyTarget): string {
  const context = target.contextName !== undefined ? ` --context ${shellQuote(target.contextName)}` : '';
  return `# Save the cluster CA first: kubectl config view --raw --minify${context} -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' | base64 -d > ca.crt`;
}

/** TLS options for curl/kubectl, plus a leading comment line when the CA must be saved first. */
function tls(target: CopyTarget, flags: { ca: string; insecure: string }): { args: string[]; preamble: string[]; notes: string[] } {
  if (target.insecure === true) {
    return {
      args: [flags.insecure],
      preamble: [],
      notes: ['The kubeconfig disables TLS verification for this cluster (insecure-skip-tls-verify), so the command does too.'],
    };
  }
  if (target.caFile !== undefined && target.caFile !== '') {
    return { args: [`${flags.ca}=${target.caFile}`], preamble: [], notes: [] };
  }
  if (target.caData !== undefined && target.caData !== '') {
    return { args: [`${flags.ca}=ca.crt`], preamble: [caHint(target)], notes: ['Save the cluster CA to ca.crt first (the first line shows how).'] };
  }
  return { args: [], preamble: [], notes: ['The kubeconfig has no CA for this cluster; the system trust store is used.'] };
}

/** A standalone kubeconfig: the context's cluster (server, CA, TLS settings) and a user holding only the token. */
export function kubeconfigYaml(token: string, target: CopyTarget, subject: CopySubject = {}): string {
  const userName = subject.serviceAccount !== undefined && subject.namespace !== undefined
    ? `system:serviceaccount:${subject.namespace}:${subject.serviceAccount}`
    : 'token-user';
  const contextName = subject.serviceAccount !== undefined ? `${subject.serviceAccount}@${target.clusterName}` : `token@${target.clusterName}`;
  const trust = target.insecure === true ? { 'insecure-skip-tls-verify': true }
    : target.caData !== undefined && target.caData !== '' ? { 'certificate-authority-data': target.caData }
      : target.caFile !== undefined && target.caFile !== '' ? { 'certificate-authority': target.caFile }
        : {};
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{
      name: target.clusterName,
      cluster: {
        server: target.server,
        ...trust,
        ...(target.tlsServerName !== undefined ? { 'tls-server-name': target.tlsServerName } : {}),
        ...(target.proxyUrl !== undefined ? { 'proxy-url': target.proxyUrl } : {}),
      },
    }],
    users: [{ name: userName, user: { token } }],
    contexts: [{ name: contextName, context: { cluster: target.clusterName, user: userName, ...(subject.namespace !== undefined ? { namespace: subject.namespace } : {}) } }],
    'current-context': contextName,
  };
  return `# Kubeconfig for a service-account token. It holds a credential: keep it private, delete it when done.\n${toYaml(config)}`;
}

/**
 * The text for one "Copy as" format. Formats that talk to the cluster need `target`; without one
 * (a token decoded with no cluster) they throw a plain Error naming what is missing.
 */
export function copyText(format: CopyFormat, token: string, target?: CopyTarget, subject: CopySubject = {}): CopyText {
  switch (format) {
    case 'token':
      return { text: token, notes: [] };
    case 'header':
      return { text: `Authorization: Bearer ${token}`, notes: [] };
    case 'export':
      return { text: `export TOKEN=${shellQuote(token)}`, notes: [] };
    case 'curl': {
      const t = requireTarget(format, target);
      const { args, preamble, notes } = tls(t, { ca: '--cacert', insecure: '-k' });
      const { url, connectTo } = curlAddress(t);
      const line = ['curl', ...args.map((a) => (a.startsWith('--cacert=') ? `--cacert ${shellQuote(a.slice('--cacert='.length))}` : a)),
        // The kubeconfig's proxy-url and tls-server-name, as the extension and kubectl use them.
        ...(t.proxyUrl !== undefined ? ['--proxy', shellQuote(t.proxyUrl)] : []),
        ...(connectTo !== undefined ? ['--connect-to', shellQuote(connectTo)] : []),
        '-X', 'POST', '-H', shellQuote(`Authorization: Bearer ${token}`), '-H', shellQuote('Content-Type: application/json'),
        '-d', shellQuote(whoamiBody), shellQuote(url)].join(' ');
      return { text: [...preamble, line].join('\n'), notes };
    }
    case 'kubectl': {
      const t = requireTarget(format, target);
      const { args, preamble, notes } = tls(t, { ca: '--certificate-authority', insecure: '--insecure-skip-tls-verify' });
      // kubectl has no proxy flag; it takes the proxy from HTTPS_PROXY when the kubeconfig names none.
      const line = [...(t.proxyUrl !== undefined ? [`HTTPS_PROXY=${shellQuote(t.proxyUrl)}`] : []),
        ...['kubectl', `--server=${t.server}`, ...args, ...(t.tlsServerName !== undefined ? [`--tls-server-name=${t.tlsServerName}`] : []), `--token=${token}`, 'auth', 'whoami'].map(shellQuote)].join(' ');
      // --server and --token bypass the kubeconfig user, so a client certificate or exec plugin there cannot interfere.
      return { text: [...preamble, line].join('\n'), notes };
    }
    case 'kubeconfig':
      return { text: kubeconfigYaml(token, requireTarget(format, target), subject), notes: [] };
  }
}

/**
 * curl verifies the name in its URL: with a tls-server-name, the URL names it and --connect-to sends the
 * connection to the server's own host and port.
 */
function curlAddress(t: CopyTarget): { url: string; connectTo?: string } {
  const server = new URL(t.server);
  const path = server.pathname.replace(/\/+$/, '') + whoamiPath;
  if (t.tlsServerName === undefined) {
    return { url: t.server.replace(/\/+$/, '') + whoamiPath };
  }
  const port = server.port || (server.protocol === 'https:' ? '443' : '80');
  return { url: `${server.protocol}//${t.tlsServerName}:${port}${path}`, connectTo: `${t.tlsServerName}:${port}:${server.hostname}:${port}` };
}

function requireTarget(format: CopyFormat, target: CopyTarget | undefined): CopyTarget {
  if (target === undefined) {
    throw new Error(`"${copyFormatLabels[format]}" needs a cluster: open a kubeconfig with a context for the token's cluster.`);
  }
  return target;
}
