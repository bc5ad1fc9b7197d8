import { validateExpirationSeconds } from './duration';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../kubernetes/kubeNames';

/** Kinds a token can be bound to (kubectl `--bound-object-kind`). */
export type BoundObjectKind = 'Pod' | 'Secret' | 'Node';

/** An object the token's validity is tied to; deleting it invalidates the token. */
export interface BoundObject {
  readonly kind: BoundObjectKind;
  readonly name: string;
  /** Filled in by the extension from the live object, so a recreated namesake cannot be bound by accident. */
  readonly uid?: string;
}

/** Everything the extension can ask of `POST .../serviceaccounts/{name}/token`. */
export interface TokenRequestOptions {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Empty means the API server's default audiences. */
  readonly audiences: readonly string[];
  /** Absent means the server default (3600 s). */
  readonly expirationSeconds?: number;
  readonly boundObject?: BoundObject;
  /** Sends `dryRun=All`. Real servers still mint a valid token. */
  readonly dryRun?: boolean;
  readonly fieldManager?: string;
  readonly fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  readonly pretty?: boolean;
}

/** One reason the options cannot be sent, tied to the option it concerns. */
export interface TokenRequestProblem {
  readonly field: 'namespace' | 'serviceAccount' | 'audiences' | 'expirationSeconds' | 'boundObject' | 'fieldManager' | 'fieldValidation';
  readonly message: string;
}

const boundKinds: readonly string[] = ['Pod', 'Secret', 'Node'];
const fieldValidations: readonly string[] = ['Strict', 'Warn', 'Ignore'];
/** apimachinery: FieldManagerMaxLength. */
export const fieldManagerMaxLength = 128;

/**
 * Applies kubectl's client-side checks plus the server rules that would otherwise cost a round trip
 * (expiration range, name syntax, fieldManager length). Returns an empty list when the options are sendable.
 */
export function validateTokenRequestOptions(options: TokenRequestOptions): TokenRequestProblem[] {
  const problems: TokenRequestProblem[] = [];
  const nameProblem = (field: TokenRequestProblem['field'], what: string, value: string, check: (v: string) => string | undefined): void => {
    if (value === '') {
      problems.push({ field, message: `${what} is required.` });
      return;
    }
    const problem = check(value);
    if (problem !== undefined) {
      problems.push({ field, message: `${what} "${value}" is invalid: ${problem}` });
    }
  };
  nameProblem('namespace', 'Namespace', options.namespace, dns1123LabelProblem);
  nameProblem('serviceAccount', 'Service account name', options.serviceAccount, dns1123SubdomainProblem);

  options.audiences.forEach((audience, index) => {
    if (audience.trim() === '') {
      problems.push({ field: 'audiences', message: `Audience ${index + 1} is empty (kubectl: --audience must not be an empty string).` });
    } else if (/\s/.test(audience)) {
      problems.push({ field: 'audiences', message: `Audience "${audience.trim()}" contains whitespace.` });
    }
  });

  if (options.expirationSeconds !== undefined) {
    const problem = validateExpirationSeconds(options.expirationSeconds);
    if (problem !== undefined) {
      problems.push({ field: 'expirationSeconds', message: `spec.expirationSeconds: Invalid value: ${options.expirationSeconds}: ${problem}` });
    }
  }

  const bound = options.boundObject;
  if (bound !== undefined) {
    if (!boundKinds.includes(bound.kind)) {
      problems.push({ field: 'boundObject', message: `Cannot bind a token to a ${String(bound.kind)}; the kind must be Pod, Secret or Node.` });
    }
    nameProblem('boundObject', `Bound ${boundKinds.includes(bound.kind) ? bound.kind : 'object'} name`, bound.name, dns1123SubdomainProblem);
    if (bound.uid !== undefined && (bound.uid.trim() === '' || /\s/.test(bound.uid))) {
      problems.push({ field: 'boundObject', message: `Bound object uid "${bound.uid}" is invalid; leave it out or use the object's metadata.uid.` });
    }
  }

  if (options.fieldManager !== undefined && options.fieldManager !== '') {
    if (new TextEncoder().encode(options.fieldManager).length > fieldManagerMaxLength) {
      problems.push({ field: 'fieldManager', message: `fieldManager must be no more than ${fieldManagerMaxLength} characters.` });
    }
    if (/[\p{C}\p{Z}]/u.test(options.fieldManager.replaceAll(' ', ''))) {
      problems.push({ field: 'fieldManager', message: 'fieldManager must only contain printable characters.' });
    }
  }

  if (options.fieldValidation !== undefined && !fieldValidations.includes(options.fieldValidation)) {
    problems.push({ field: 'fieldValidation', message: `fieldValidation must be Strict, Warn or Ignore, not "${String(options.fieldValidation)}".` });
  }
  return problems;
}

/** The JSON body of a TokenRequest, with kubectl's key order and nulls. */
export interface TokenRequestBody {
  kind: 'TokenRequest';
  apiVersion: 'authentication.k8s.io/v1';
  metadata: { creationTimestamp?: null };
  spec: {
    audiences: string[] | null;
    expirationSeconds: number | null;
    boundObjectRef: { kind: BoundObjectKind; apiVersion: 'v1'; name: string; uid?: string } | null;
  };
  status: { token: ''; expirationTimestamp: null };
}

/** Body variants: kubectl v1.34+ sends `"metadata":{}`, v1.33 and older `{"creationTimestamp":null}`. */
export interface TokenRequestBodyStyle {
  readonly legacyCreationTimestamp?: boolean;
}

/**
 * Builds exactly the body `kubectl create token` sends for the same options, so server behaviour
 * (defaults, validation, errors) is identical. Fields kubectl leaves unset are `null`, not absent.
 */
export function buildTokenRequestBody(options: TokenRequestOptions, style: TokenRequestBodyStyle = {}): TokenRequestBody {
  const bound = options.boundObject;
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: style.legacyCreationTimestamp === true ? { creationTimestamp: null } : {},
    spec: {
      audiences: options.audiences.length === 0 ? null : [...options.audiences],
      // kubectl sends null for 0 as well, so the server default applies instead of a validation error.
      expirationSeconds: options.expirationSeconds === undefined || options.expirationSeconds === 0 ? null : options.expirationSeconds,
      boundObjectRef: bound === undefined
        ? null
        : { kind: bound.kind, apiVersion: 'v1', name: bound.name, ...(bound.uid !== undefined && bound.uid !== '' ? { uid: bound.uid } : {}) },
    },
    status: { token: '', expirationTimestamp: null },
  };
}

/** Query parameters of the TokenRequest POST, in a stable order; unset options are left out. */
export function buildTokenRequestQuery(options: TokenRequestOptions): Record<string, string> {
  const query: Record<string, string> = {};
  if (options.dryRun === true) {
    query.dryRun = 'All';
  }
  if (options.fieldManager !== undefined && options.fieldManager !== '') {
    query.fieldManager = options.fieldManager;
  }
  if (options.fieldValidation !== undefined) {
    query.fieldValidation = options.fieldValidation;
  }
  if (options.pretty === true) {
    query.pretty = 'true';
  }
  return query;
}

/** The request path, with names URL-encoded: `/api/v1/namespaces/<ns>/serviceaccounts/<sa>/token`. */
export function tokenRequestPath(options: Pick<TokenRequestOptions, 'namespace' | 'serviceAccount'>): string {
  return `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/serviceaccounts/${encodeURIComponent(options.serviceAccount)}/token`;
}
