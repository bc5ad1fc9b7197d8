/**
 * Pure builders for the token inspector: the page's view model from a decoded token, the
 * verification state texts and the server-check results. No vscode, no network; `now` is injected.
 */
import type {
  CheckResultView, IdentityView, InspectorView, LifetimeView, VerificationView,
} from './inspectorViewModel';
import { explainClaims } from '../token/claimExplanation';
import type { DecodedToken } from '../token/decodeToken';
import type { TokenErrorCode } from '../errors';
import { compareIssued } from '../token/issuedComparison';
import { kubernetesClaims } from '../token/kubernetesClaims';
import type { TimeFormatOptions } from '../expiry/timeFormat';
import type { VerificationResult } from '../token/tokenVerification';

/** What the store knows about the request (a subset of StoredTokenMeta, kept here so core needs no platform types). */
export interface IssuedFacts {
  readonly requestedExpirationSeconds?: number;
  readonly issuedExpirationSeconds?: number;
}

export interface InspectorViewInput {
  readonly key: string;
  readonly decoded: DecodedToken;
  readonly source: InspectorView['source'];
  readonly storeId?: string;
  readonly context?: string;
  readonly hasToken: boolean;
  readonly issued?: IssuedFacts;
  readonly now: number;
  readonly timeFormat?: TimeFormatOptions;
}

/** A recognisable but useless preview: the first 6 characters (the JSON header's start) and the length. */
export function maskToken(raw: string): string {
  return `${raw.slice(0, 6)}…(${raw.length.toLocaleString('en-US')} characters)…`;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function identityOf(decoded: DecodedToken): IdentityView {
  const k = kubernetesClaims(decoded.claims);
  if (k.kind === 'not-kubernetes') {
    return { kind: k.kind, reason: k.reason };
  }
  return {
    kind: k.kind,
    namespace: k.namespace,
    serviceAccount: k.serviceAccount.name,
    ...(k.kind === 'bound' && k.binding !== undefined ? { binding: k.binding } : {}),
  };
}

function lifetimeOf(decoded: DecodedToken, issued: IssuedFacts | undefined): LifetimeView {
  const { claims } = decoded;
  const iat = num(claims.iat);
  const exp = num(claims.exp);
  const nbf = num(claims.nbf);
  const k = kubernetesClaims(claims);
  const warnafter = k.kind === 'bound' ? k.warnAfter : undefined;
  const base = {
    ...(iat !== undefined ? { iatMs: iat * 1000 } : {}),
    ...(nbf !== undefined ? { nbfMs: nbf * 1000 } : {}),
    ...(exp !== undefined ? { expMs: exp * 1000 } : {}),
    ...(warnafter !== undefined ? { warnAfterMs: warnafter * 1000 } : {}),
  };
  let facts: Parameters<typeof compareIssued>[0] | undefined;
  if (issued !== undefined) {
    facts = {
      ...(issued.requestedExpirationSeconds !== undefined ? { requestedExpirationSeconds: issued.requestedExpirationSeconds } : {}),
      ...(issued.issuedExpirationSeconds !== undefined ? { responseExpirationSeconds: issued.issuedExpirationSeconds } : {}),
    };
  } else if (warnafter !== undefined) {
    // Only Pod-bound tokens requested for exactly 3607 s are extended; the JWT alone says enough.
    facts = { requestedExpirationSeconds: 3607, responseExpirationSeconds: 3607 };
  }
  if (facts === undefined) {
    return base;
  }
  const c = compareIssued({
    ...facts,
    ...(exp !== undefined ? { exp } : {}),
    ...(iat !== undefined ? { iat } : {}),
    ...(warnafter !== undefined ? { warnafter } : {}),
  });
  return {
    ...base,
    comparison: {
      ...(issued !== undefined ? { requestedSeconds: c.requestedSeconds } : {}),
      ...(c.issuedSeconds !== undefined ? { issuedSeconds: c.issuedSeconds } : {}),
      ...(c.jwtLifetimeSeconds !== undefined ? { jwtLifetimeSeconds: c.jwtLifetimeSeconds } : {}),
      shortened: c.shortened,
      extended: c.extended,
      explanations: c.explanations,
    },
  };
}

function titleOf(identity: IdentityView): string {
  if (identity.kind === 'not-kubernetes') {
    return 'Token (not a Kubernetes service-account token)';
  }
  const bound = identity.binding !== undefined ? ` (bound to ${identity.binding.kind} ${identity.binding.name})` : '';
  return `Token: ${identity.namespace}/${identity.serviceAccount}${bound}`;
}

/** The page's view of a decoded token. Contains no token and no signature. */
export function buildInspectorView(input: InspectorViewInput): InspectorView {
  const { decoded } = input;
  const identity = identityOf(decoded);
  const claims = explainClaims(decoded, input.now, input.timeFormat ?? {}).map((row) => ({
    claim: row.claim,
    label: row.label,
    value: row.value,
    explanation: row.explanation,
    ...(row.time !== undefined ? { time: { ms: Number(timeClaimMs(decoded, row.claim)), ...row.time } } : {}),
  }));
  const alg = typeof decoded.header.alg === 'string' ? decoded.header.alg : undefined;
  const kid = typeof decoded.header.kid === 'string' ? decoded.header.kid : undefined;
  return {
    key: input.key,
    title: titleOf(identity),
    source: input.source,
    ...(input.storeId !== undefined ? { storeId: input.storeId } : {}),
    masked: maskToken(decoded.raw),
    hasToken: input.hasToken,
    ...(input.context !== undefined ? { context: input.context } : {}),
    headerJson: JSON.stringify(decoded.header, null, 2),
    claimsJson: JSON.stringify(decoded.claims, null, 2),
    ...(alg !== undefined ? { alg } : {}),
    ...(kid !== undefined ? { kid } : {}),
    claims,
    identity,
    lifetime: lifetimeOf(decoded, input.issued),
    notes: decoded.notes,
  };
}

/** Long enough for `namespace/name` and most subjects; a tab title beyond it is cut. */
const tabSubjectLength = 48;

function clockTime(ms: number, now: number, options: TimeFormatOptions): string {
  const zone = options.timeZone !== undefined ? { timeZone: options.timeZone } : {};
  const locale = options.locale ?? 'en-US';
  const day = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'numeric', day: 'numeric', ...zone });
  const sameDay = day.format(ms) === day.format(now);
  return new Intl.DateTimeFormat(locale, {
    ...(sameDay ? {} : { month: 'short', day: 'numeric' }),
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...zone,
  }).format(ms);
}

/**
 * The editor tab's title: who the token is for and when it expires (`Token: build/ci-bot · expires 14:05`),
 * so that tabs of different tokens tell apart. A JWT not from Kubernetes is named by its `sub` (else `iss`).
 */
export function inspectorTabTitle(view: Pick<InspectorView, 'identity' | 'lifetime' | 'claims'>, now: number, options: TimeFormatOptions = {}): string {
  const id = view.identity;
  const claim = (name: string) => view.claims.find((row) => row.claim === name)?.value;
  const subject = id.kind !== 'not-kubernetes' && id.namespace !== undefined && id.serviceAccount !== undefined
    ? `${id.namespace}/${id.serviceAccount}`
    : claim('sub') ?? claim('iss') ?? 'JWT';
  const shortSubject = subject.length > tabSubjectLength ? `${subject.slice(0, tabSubjectLength - 1)}…` : subject;
  const exp = view.lifetime.expMs;
  const expiry = exp === undefined ? 'no expiry' : `${exp > now ? 'expires' : 'expired'} ${clockTime(exp, now, options)}`;
  return `Token: ${shortSubject} · ${expiry}`;
}

function timeClaimMs(decoded: DecodedToken, claim: string): number {
  if (claim === 'kubernetes.io.warnafter') {
    const k = kubernetesClaims(decoded.claims);
    return k.kind === 'bound' && k.warnAfter !== undefined ? k.warnAfter * 1000 : Number.NaN;
  }
  const v = num(decoded.claims[claim]);
  return v === undefined ? Number.NaN : v * 1000;
}

// ---------------------------------------------------------------------------------------------
// Verification texts

export const issuerDiscoveryRole = 'system:service-account-issuer-discovery';

/** The issuer of legacy Secret-based tokens, which the API server signs with its service-account keys. */
export const legacyTokenIssuer = 'kubernetes/serviceaccount';

/**
 * A server check made with a legacy Secret token is a use of it: kube-apiserver stamps the Secret's
 * kubernetes.io/legacy-token-last-used label with today's date, which restarts the cleaner's clock.
 */
export function withLegacyUseNote(result: CheckResultView, secret: { namespace: string; name?: string }): CheckResultView {
  const where = secret.name === undefined ? 'its Secret' : `the Secret ${secret.namespace}/${secret.name}`;
  const note = `This check used the legacy token: the API server set ${where}'s kubernetes.io/legacy-token-last-used label to today, which restarts the legacy-token cleaner's clock for it.`;
  return { ...result, explanation: result.explanation === undefined ? note : `${result.explanation} ${note}` };
}

function otherIssuerNote(issuer: string | undefined): string {
  if (issuer === undefined) {return '';}
  if (issuer === legacyTokenIssuer) {
    return ` It is a legacy Secret-based token (issuer "${legacyTokenIssuer}"), signed with the same keys; the API server accepts it while its Secret exists and is not marked invalid.`;
  }
  return ` Its issuer "${issuer}" is not the cluster's current issuer: the API server accepts it only while that issuer is still one of its --service-account-issuer values (during an issuer migration).`;
}

/** A failure to fetch the cluster's keys, as the view shows it. */
export function describeKeyFetchFailure(code: TokenErrorCode | undefined, message: string): VerificationView {
  if (code === 'ERR_FORBIDDEN' || code === 'ERR_UNAUTHORIZED') {
    return {
      state: 'cannot-fetch',
      title: 'Cannot fetch the cluster\'s signing keys',
      detail: `The active kubeconfig user may not read /.well-known/openid-configuration and /openid/v1/jwks (HTTP ${code === 'ERR_FORBIDDEN' ? '403' : '401'}). `
        + `Reading them needs the ClusterRole ${issuerDiscoveryRole} (bound by default only to service accounts). Ask an admin to bind it to your user, or switch to a context that has it. The claims below stay UNVERIFIED.`,
    };
  }
  if (code === 'ERR_NOT_FOUND') {
    return {
      state: 'cannot-fetch',
      title: 'The cluster does not publish its signing keys',
      detail: 'OIDC discovery answered 404: the API server serves it only when its first --service-account-issuer is an https URL. The claims below stay UNVERIFIED.',
    };
  }
  return { state: 'cannot-fetch', title: 'Cannot fetch the cluster\'s signing keys', detail: `${message} The claims below stay UNVERIFIED.` };
}

/** A verification result, as the view shows it. */
export function describeVerification(result: VerificationResult, context?: string): VerificationView {
  const where = context !== undefined ? ` of context "${context}"` : '';
  switch (result.state) {
    case 'verified':
      return {
        state: 'verified',
        title: `Signature verified (key ${result.kid ?? 'without id'})`,
        detail: `The token was signed (${result.alg}) by a key the cluster${where} publishes in /openid/v1/jwks. Its claims are authentic; whether it is still accepted is what the server checks below tell.${otherIssuerNote(result.issuer)}`,
        ...(result.kid !== undefined ? { kid: result.kid } : {}),
      };
    case 'invalid-signature':
      return {
        state: 'invalid-signature',
        title: 'Invalid signature',
        detail: `The cluster${where} has the key ${result.kid ?? '(no kid)'}, but the signature does not match: the token was altered or forged. Do not trust its claims.`,
        ...(result.kid !== undefined ? { kid: result.kid } : {}),
      };
    case 'key-not-found':
      return {
        state: 'key-not-found',
        title: 'Signing key not found (rotated?)',
        detail: `None of the cluster's current keys has the id ${result.kid ?? '(the token has no kid)'}, even after fetching them again. The key was probably rotated out, or the token comes from another cluster. The API server will reject it.`,
        ...(result.kid !== undefined ? { kid: result.kid } : {}),
      };
    case 'unsupported-algorithm':
      return {
        state: 'unsupported-algorithm',
        title: `Algorithm "${result.alg}" is never accepted`,
        detail: result.alg === 'none'
          ? 'The token is unsigned (alg "none"): anybody can write such a token. The claims are UNVERIFIED and the API server rejects it.'
          : `Kubernetes signs with asymmetric algorithms (RS256, ES256...). "${result.alg}" is refused, so the claims stay UNVERIFIED.`,
      };
    case 'issuer-mismatch':
      return {
        state: 'issuer-mismatch',
        title: 'Issued by another issuer',
        detail: `The token's issuer is ${result.actual === undefined ? 'missing' : `"${result.actual}"`}, but the cluster${where} is "${result.expected}". It was not issued by this cluster; its claims stay UNVERIFIED here.`,
      };
    case 'not-kubernetes':
      return { state: 'not-kubernetes', title: 'Not a Kubernetes service-account token', detail: `${result.reason} Nothing to verify against the cluster; the claims are UNVERIFIED.` };
    case 'malformed':
      return { state: 'malformed', title: 'Cannot verify', detail: result.message };
  }
}

export const noClusterVerification: VerificationView = {
  state: 'no-cluster',
  title: 'Not verified: no cluster',
  detail: 'No usable kubeconfig context, so the signature cannot be checked against a cluster\'s keys. The decoded claims are UNVERIFIED: anyone can write a JWT with these claims.',
};

/**
 * A re-check that could not complete (keys unreachable, no cluster) does not undo a verification that
 * succeeded: the signature cannot change, only the cluster's keys can. `verifiedAt` says when it passed.
 */
export function withFailedRecheck(lastVerified: VerificationView, verifiedAt: string, failure: VerificationView): VerificationView {
  return {
    ...lastVerified,
    title: `${lastVerified.title} (last verified at ${verifiedAt})`,
    detail: `Re-check failed: ${failure.title}. ${asSentence(failure.detail.replace(/ The claims below stay UNVERIFIED\.$/, ''))} The earlier verification against the cluster's keys still stands.`,
  };
}

/** A server's error text ends without a full stop as often as with one; the next sentence needs one. */
function asSentence(text: string): string {
  return /[.!?…]$/.test(text.trimEnd()) ? text.trimEnd() : `${text.trimEnd()}.`;
}

export const pendingVerification: VerificationView = {
  state: 'pending',
  title: 'Verifying the signature…',
  detail: 'Fetching the cluster\'s signing keys. Until this succeeds the claims are UNVERIFIED.',
};

export const unavailableVerification: VerificationView = {
  state: 'unavailable',
  title: 'Not verified: the token was not kept',
  detail: 'After a reload only tokens issued by this extension are kept (in SecretStorage). Decode the token again to verify it, run server checks or copy it.',
};

// ---------------------------------------------------------------------------------------------
// Server checks

interface UserInfoLike {
  readonly username?: string;
  readonly uid?: string;
  readonly groups?: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

function userDetails(user: UserInfoLike | undefined): Array<readonly [string, string]> {
  if (user === undefined) {
    return [];
  }
  const rows: Array<readonly [string, string]> = [];
  if (user.username !== undefined) {
    rows.push(['Username', user.username]);
  }
  if (user.uid !== undefined) {
    rows.push(['UID', user.uid]);
  }
  rows.push(['Groups', (user.groups ?? []).join(', ') || '(none)']);
  for (const [key, values] of Object.entries(user.extra ?? {})) {
    rows.push([key, values.join(', ')]);
  }
  return rows;
}

export function describeTokenReview(
  result: { readonly authenticated: boolean; readonly user?: UserInfoLike; readonly audiences?: readonly string[]; readonly error?: string },
  tokenAudiences: readonly string[],
): CheckResultView {
  if (result.authenticated) {
    return {
      check: 'tokenReview',
      status: 'ok',
      summary: `Authenticated as ${result.user?.username ?? '(unknown user)'}`,
      details: [...userDetails(result.user), ['Audiences', (result.audiences ?? []).join(', ') || '(none)']],
    };
  }
  const error = result.error ?? 'The server did not say why.';
  const audienceMismatch = /audiences/i.test(error);
  return {
    check: 'tokenReview',
    status: 'bad',
    summary: 'Not authenticated',
    details: [['Server error', error], ['Token audiences', tokenAudiences.join(', ') || '(none)']],
    explanation: audienceMismatch
      ? `The token's audiences (${tokenAudiences.join(', ') || 'none'}) do not include the API server's audience: it is meant for another receiver, and the API server rejects it (HTTP 401). That is expected for tokens requested with a custom audience.`
      : /expired/i.test(error)
        ? 'The token has expired. Request a new one.'
        : /invalidated|does not match/i.test(error)
          ? 'The token was invalidated: its bound object or its service account was deleted (or recreated with a new uid).'
          : 'The API server does not accept this token.',
  };
}

export function describeWhoami(user: UserInfoLike & { readonly warnings?: readonly string[] }): CheckResultView {
  const warnings = user.warnings ?? [];
  return {
    check: 'whoami',
    status: warnings.length > 0 ? 'warn' : 'ok',
    summary: `The token authenticates as ${user.username ?? '(unknown user)'}`,
    details: [...userDetails(user), ...warnings.map((w) => ['Server warning', w] as const)],
  };
}

export function describeRules(
  namespace: string,
  rules: {
    readonly resourceRules: ReadonlyArray<{ readonly verbs: readonly string[]; readonly apiGroups?: readonly string[]; readonly resources?: readonly string[]; readonly resourceNames?: readonly string[] }>;
    readonly nonResourceRules: ReadonlyArray<{ readonly verbs: readonly string[]; readonly nonResourceURLs?: readonly string[] }>;
    readonly incomplete: boolean;
    readonly evaluationError?: string;
  },
): CheckResultView {
  const list = (v: readonly string[] | undefined, empty = '') => (v === undefined || v.length === 0 ? empty : v.join(', '));
  const rows: string[][] = [
    ...rules.resourceRules.map((r) => [list(r.resources), list(r.apiGroups?.map((g) => (g === '' ? 'core' : g)), ''), list(r.resourceNames, 'all'), list(r.verbs)]),
    ...rules.nonResourceRules.map((r) => [list(r.nonResourceURLs), '(non-resource URL)', '', list(r.verbs)]),
  ];
  const details: Array<readonly [string, string]> = [['Namespace', namespace]];
  if (rules.evaluationError !== undefined && rules.evaluationError !== '') {
    details.push(['Evaluation error', rules.evaluationError]);
  }
  return {
    check: 'rules',
    status: rules.incomplete ? 'warn' : 'ok',
    summary: `${rules.resourceRules.length} resource rule(s) and ${rules.nonResourceRules.length} non-resource rule(s) in namespace ${namespace}`,
    details,
    table: { caption: `What the token can do in namespace ${namespace}`, columns: ['Resources / URLs', 'API groups', 'Names', 'Verbs'], rows },
    ...(rules.incomplete ? { explanation: 'The list is incomplete: an authorizer (e.g. a webhook) cannot enumerate its rules. The token may be allowed more.' } : {}),
  };
}

export function describeBoundObject(
  binding: { readonly kind: string; readonly name: string; readonly uid?: string },
  namespace: string | undefined,
  check: { readonly exists: boolean; readonly uid?: string; readonly uidMatches?: boolean },
): CheckResultView {
  const where = binding.kind === 'Node' || namespace === undefined ? binding.name : `${namespace}/${binding.name}`;
  const details: Array<readonly [string, string]> = [['Object', `${binding.kind} ${where}`], ['UID in the token', binding.uid ?? '(none)']];
  if (!check.exists) {
    return {
      check: 'boundObject', status: 'bad', summary: `The bound ${binding.kind} ${where} no longer exists`, details,
      explanation: `The token is already invalid: the API server rejects a token whose bound ${binding.kind} is gone ("service account token has been invalidated").`,
    };
  }
  details.push(['UID of the live object', check.uid ?? '(unknown)']);
  if (check.uidMatches === false) {
    return {
      check: 'boundObject', status: 'bad', summary: `${binding.kind} ${where} exists, but it is a different object (uid changed)`, details,
      explanation: `The ${binding.kind} was deleted and recreated with the same name. The token is bound to the old one, so it is already invalid.`,
    };
  }
  return { check: 'boundObject', status: 'ok', summary: `The bound ${binding.kind} ${where} exists with the same uid`, details };
}
