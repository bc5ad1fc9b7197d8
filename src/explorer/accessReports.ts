import {
  accessReviewRequests, analyzeAccountAccess, confirmAccessReport, RbacIndex, unknownAccessReport,
  type AccessAccount, type AccountAccessReport,
} from '../core/access';
import { isTokenError } from '../core/errors';
import { describeError } from '../core/logLine';
import type { ClusterClient } from '../kube/clusterClient';
import type { ClusterSession } from '../platform/clusterSession';
import { legacyTokenSecretsOf } from './legacyTokens';

/** How many SubjectAccessReviews run at once for one account (a few hundred per account on busy clusters). */
const reviewConcurrency = 8;

interface ContextRbac {
  readonly index: RbacIndex;
  readonly missingPermissions: readonly string[];
}

/**
 * Who can get a service account's credentials, per context: the RBAC objects are listed once per context
 * and indexed; each account's report is computed from the index, then every (subject, check) it names is
 * confirmed with a SubjectAccessReview (which also sees non-RBAC authorizers). Reports are cached until
 * `invalidate`.
 */
export class AccessReports {
  private readonly _rbac = new Map<string, Promise<ContextRbac>>();
  private readonly _reports = new Map<string, Promise<AccountAccessReport>>();

  constructor(private readonly _session: Pick<ClusterSession, 'clientFor'>) {}

  /** Forgets what was read (Refresh, a kubeconfig change): the next report lists RBAC again. */
  invalidate(): void {
    this._rbac.clear();
    this._reports.clear();
  }

  /** The account's report; its legacy token Secrets are looked up unless given. */
  report(context: string, account: AccessAccount): Promise<AccountAccessReport> {
    const key = `${context}\0${account.namespace}\0${account.name}`;
    let report = this._reports.get(key);
    if (report === undefined) {
      report = this._compute(context, account);
      this._reports.set(key, report);
      // A failure is not cached: the next expand tries again.
      report.catch(() => this._reports.delete(key));
    }
    return report;
  }

  private async _compute(context: string, account: AccessAccount): Promise<AccountAccessReport> {
    const client = await this._session.clientFor(context);
    const rbac = await this._rbacOf(context, client);
    if (rbac.missingPermissions.length > 0) {
      return unknownAccessReport(account, rbac.missingPermissions);
    }
    const legacyTokenSecrets = account.legacyTokenSecrets ?? await legacyTokenSecretNames(client, account);
    const computed = analyzeAccountAccess(rbac.index, { ...account, legacyTokenSecrets });
    return this._confirm(client, computed);
  }

  private _rbacOf(context: string, client: ClusterClient): Promise<ContextRbac> {
    let rbac = this._rbac.get(context);
    if (rbac === undefined) {
      rbac = client.listRbac().then((listing) => ({ index: RbacIndex.build(listing.snapshot), missingPermissions: listing.missingPermissions }));
      this._rbac.set(context, rbac);
      rbac.catch(() => this._rbac.delete(context));
    }
    return rbac;
  }

  /** Marks each grant confirmed or denied by the API server; without the right to ask, computed from RBAC only. */
  private async _confirm(client: ClusterClient, report: AccountAccessReport): Promise<AccountAccessReport> {
    const requests = accessReviewRequests(report);
    const answers = new Map<string, boolean>();
    let unavailable: string | undefined;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (unavailable === undefined && next < requests.length) {
        const request = requests[next++]!;
        const result = await client.subjectAccessReview({
          ...(request.identity.user === undefined ? {} : { user: request.identity.user }),
          groups: request.identity.groups,
          resourceAttributes: request.check,
        });
        if (!result.available) {
          unavailable = `${result.message} (needs ${result.missingPermission})`;
          return;
        }
        answers.set(request.key, result.allowed);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(reviewConcurrency, requests.length) }, worker));
    } catch (e) {
      // The report stands on RBAC alone; say why it was not confirmed.
      return confirmAccessReport(report, undefined, `The API server could not confirm it: ${describeError(e)}`);
    }
    return unavailable === undefined ? confirmAccessReport(report, answers) : confirmAccessReport(report, undefined, unavailable);
  }
}

/** Names of the account's legacy token Secrets; none known when the user may not list Secrets. */
async function legacyTokenSecretNames(client: ClusterClient, account: AccessAccount): Promise<string[]> {
  try {
    return (await legacyTokenSecretsOf(client, account.namespace, account.name)).map((s) => s.name);
  } catch (e) {
    if (isTokenError(e) && e.code === 'ERR_FORBIDDEN') {
      return [];
    }
    throw e;
  }
}
