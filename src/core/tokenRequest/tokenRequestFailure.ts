import type { KubeStatus, TokenErrorCode } from '../errors';
import type { TokenRequestOptions } from './tokenRequest';

/** Which failure happened, for branching and tests. */
export type TokenRequestFailureKind =
  | 'serviceAccountNotFound'
  | 'namespaceNotFound'
  | 'namespaceTerminating'
  | 'boundObjectNotFound'
  | 'boundObjectUidMismatch'
  | 'serviceAccountUidMismatch'
  | 'podUnderOtherServiceAccount'
  | 'nodeBindingDisabled'
  | 'boundObjectInvalid'
  | 'expirationInvalid'
  | 'invalid'
  | 'forbidden'
  | 'unauthorized'
  | 'unreachable'
  | 'timeout'
  | 'tls'
  | 'cancelled'
  | 'other';

/** The flow step an "Edit and Retry" should reopen. */
export type ResumeStep = 'audiences' | 'lifetime' | 'bind' | 'review';

/** One user-facing explanation of a failed TokenRequest. */
export interface TokenRequestFailure {
  readonly kind: TokenRequestFailureKind;
  /** One or two sentences: what happened and what to do. */
  readonly message: string;
  /** Where "Edit and Retry" resumes the flow (earlier answers kept). */
  readonly resumeAt: ResumeStep;
  /** The bound object is the problem: offer to pick it again. */
  readonly pickAgain: boolean;
  /** Re-sending the same request may work (network trouble). */
  readonly retryable: boolean;
  /** The kubeconfig credentials or context are the problem. */
  readonly suggestSwitchContext: boolean;
}

/** The error as thrown by the kube layer (a TokenError, checked by shape). */
export interface FailureInput {
  readonly code: TokenErrorCode;
  readonly message: string;
  readonly status?: KubeStatus;
  readonly hint?: string;
}

export interface FailureContext {
  readonly options: TokenRequestOptions;
  readonly contextName: string;
  readonly server?: string;
  readonly userName?: string;
}

const boundKinds: Readonly<Record<string, 'Pod' | 'Secret' | 'Node'>> = { pods: 'Pod', secrets: 'Secret', nodes: 'Node', Pod: 'Pod', Secret: 'Secret', Node: 'Node' };

/**
 * Explains a failed TokenRequest from the Status body the server sent (order of
 * checks), in kubectl vocabulary, and says where the flow should resume.
 */
export function describeTokenRequestFailure(error: FailureInput, ctx: FailureContext): TokenRequestFailure {
  const o = ctx.options;
  const sa = `service account "${o.serviceAccount}" in namespace "${o.namespace}"`;
  const serverText = error.status?.message ?? error.message;
  const kind = error.status?.details?.kind;
  const base = { pickAgain: false, retryable: false, suggestSwitchContext: false };
  const bound = o.boundObject;
  const boundText = bound === undefined ? 'the bound object' : `${bound.kind} "${bound.name}"`;
  switch (error.code) {
    case 'ERR_NOT_FOUND': {
      if (kind === 'namespaces' || /^namespaces "/.test(serverText)) {
        return { ...base, kind: 'namespaceNotFound', resumeAt: 'review', message: `Namespace "${o.namespace}" does not exist in context "${ctx.contextName}" (${serverText}). Refresh the Service Accounts view and pick an existing service account.` };
      }
      const boundKind = kind !== undefined ? boundKinds[kind] : undefined;
      if (boundKind !== undefined || /^(pods|secrets|nodes) "/.test(serverText)) {
        return { ...base, kind: 'boundObjectNotFound', resumeAt: 'bind', pickAgain: true, message: `${boundText} no longer exists (${serverText}). A token can only be bound to a live object: pick another one, or bind to nothing.` };
      }
      return { ...base, kind: 'serviceAccountNotFound', resumeAt: 'review', message: `The ${sa} was not found in context "${ctx.contextName}" (${serverText}). It may have been deleted; refresh the Service Accounts view.` };
    }
    case 'ERR_CONFLICT': {
      if (/UID of the service account/.test(serverText)) {
        return { ...base, kind: 'serviceAccountUidMismatch', resumeAt: 'review', message: `The ${sa} was deleted and recreated since it was picked (${serverText}). Refresh the Service Accounts view and request again.` };
      }
      return { ...base, kind: 'boundObjectUidMismatch', resumeAt: 'bind', pickAgain: true, message: `${boundText} was recreated after you picked it: its uid no longer matches (${serverText}). Pick it again to bind to the object that exists now.` };
    }
    case 'ERR_BAD_REQUEST': {
      if (/different serviceaccount name/.test(serverText)) {
        return { ...base, kind: 'podUnderOtherServiceAccount', resumeAt: 'bind', pickAgain: true, message: `${boundText} runs under a different service account, so the server refuses to bind a token for "${o.serviceAccount}" to it (${serverText}). Pick a pod whose spec.serviceAccountName is "${o.serviceAccount}".` };
      }
      if (/ServiceAccountTokenNodeBinding/.test(serverText)) {
        return { ...base, kind: 'nodeBindingDisabled', resumeAt: 'bind', pickAgain: true, message: `This cluster does not allow binding tokens to Nodes: the ServiceAccountTokenNodeBinding feature gate is disabled on the API server (${serverText}). Bind to a Pod or Secret, or to nothing.` };
      }
      if (/cannot bind token|Name parameter/.test(serverText)) {
        return { ...base, kind: 'boundObjectInvalid', resumeAt: 'bind', pickAgain: true, message: `The server rejected the bound object: ${serverText}` };
      }
      return { ...base, kind: 'other', resumeAt: 'review', message: `The API server rejected the request: ${serverText}` };
    }
    case 'ERR_INVALID': {
      const causes = error.status?.details?.causes ?? [];
      if (causes.some((c) => c.field === 'spec.expirationSeconds') || /spec\.expirationSeconds/.test(serverText)) {
        return { ...base, kind: 'expirationInvalid', resumeAt: 'lifetime', message: `The API server rejected the lifetime: ${serverText}. A token must live at least 10 minutes and at most 2^32 seconds.` };
      }
      return { ...base, kind: 'invalid', resumeAt: 'review', message: `The API server rejected the request as invalid: ${serverText}` };
    }
    case 'ERR_FORBIDDEN': {
      if (/being terminated/.test(serverText)) {
        return { ...base, kind: 'namespaceTerminating', resumeAt: 'review', message: `Namespace "${o.namespace}" is being deleted, so no new tokens can be issued in it (${serverText}).` };
      }
      const who = ctx.userName !== undefined && ctx.userName !== '' ? `User "${ctx.userName}" (context "${ctx.contextName}")` : `The user of context "${ctx.contextName}"`;
      return {
        ...base,
        kind: 'forbidden',
        resumeAt: 'review',
        suggestSwitchContext: true,
        message: `${who} may not request tokens for the ${sa}. Requesting a token needs permission to create serviceaccounts/token (verb "create" on resource "serviceaccounts/token") in namespace "${o.namespace}"; the built-in edit and admin roles have it, view does not. Server: ${serverText}`,
      };
    }
    case 'ERR_UNAUTHORIZED':
      return { ...base, kind: 'unauthorized', resumeAt: 'review', suggestSwitchContext: true, message: `The API server of context "${ctx.contextName}" rejected your credentials (401 Unauthorized). The kubeconfig token or certificate may have expired: log in again (refresh the kubeconfig) or switch context.` };
    case 'ERR_UNREACHABLE':
      return { ...base, kind: 'unreachable', resumeAt: 'review', retryable: true, suggestSwitchContext: true, message: `Cannot reach the API server of context "${ctx.contextName}"${ctx.server ? ` at ${ctx.server}` : ''}: ${error.message}${error.hint ? ` ${error.hint}` : ''}` };
    case 'ERR_TIMEOUT':
      return { ...base, kind: 'timeout', resumeAt: 'review', retryable: true, message: `The API server of context "${ctx.contextName}" did not answer in time: ${error.message}. Retry, or check the connection (VPN, proxy).` };
    case 'ERR_TLS':
      return { ...base, kind: 'tls', resumeAt: 'review', suggestSwitchContext: true, message: `The TLS connection to context "${ctx.contextName}" failed: ${error.message}${error.hint ? ` ${error.hint}` : ''}` };
    case 'ERR_CANCELLED':
      return { ...base, kind: 'cancelled', resumeAt: 'review', message: 'The request was cancelled; no token was issued.' };
    default:
      return { ...base, kind: 'other', resumeAt: 'review', retryable: error.code === 'ERR_SERVER' || error.code === 'ERR_TOO_MANY_REQUESTS', message: `${error.message}${error.hint ? ` ${error.hint}` : ''}` };
  }
}
