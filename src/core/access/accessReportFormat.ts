/** An access report as JSON and as a Markdown table, for a security review. */
import type { AccessGrant, AccountAccessReport } from './accountAccess';
import type { RbacSubject } from './rbacObjects';
import type { ResourceAttributes } from './ruleMatching';

export function accessReportJson(report: AccountAccessReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function describeSubject(s: RbacSubject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace ?? ''}/${s.name}` : `${s.kind} ${s.name}`;
}

/** `create serviceaccounts/token "ci-bot"`, `create deployments.apps`, `impersonate users "system:…"`. */
export function describeCheck(c: ResourceAttributes): string {
  const resource = c.group === '' ? c.resource : `${c.resource}.${c.group}`;
  const sub = c.subresource === undefined || c.subresource === '' ? '' : `/${c.subresource}`;
  const name = c.name === undefined ? '' : ` "${c.name}"`;
  return `${c.verb} ${resource}${sub}${name}`;
}

export function describeGrantSource(g: AccessGrant): string {
  const binding = g.binding.kind === 'RoleBinding' ? `RoleBinding ${g.binding.namespace ?? ''}/${g.binding.name}` : `ClusterRoleBinding ${g.binding.name}`;
  return `${binding} → ${g.role.kind} ${g.role.name}`;
}

export function describeConfirmation(g: AccessGrant): string {
  if (g.pendingAggregationFrom !== undefined && g.confirmation !== 'confirmed') {
    return `pending aggregation from ClusterRole ${g.pendingAggregationFrom} (not honoured yet)`;
  }
  switch (g.confirmation) {
    case 'confirmed':
      return 'confirmed by the API server';
    case 'denied':
      return 'denied by the API server';
    case 'computed':
    case undefined:
      return 'computed from RBAC only';
  }
}

/** Markdown cells may not hold pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function accessReportMarkdown(report: AccountAccessReport): string {
  const { namespace, name } = report.account;
  const lines = [`# Who can get the credentials of service account ${cell(namespace)}/${cell(name)}`, ''];
  if (report.unknown !== undefined) {
    lines.push(`Unknown: the RBAC objects could not be listed (missing: ${report.unknown.missingPermissions.map(cell).join('; ')}).`, '');
    return lines.join('\n');
  }
  if (report.confirmation !== undefined) {
    lines.push(
      report.confirmation.basis === 'server'
        ? 'Each row was checked with a SubjectAccessReview.'
        : `Computed from RBAC only${report.confirmation.reason === undefined ? '' : `: ${cell(report.confirmation.reason)}`}.`,
      '',
    );
  }
  lines.push('| way | subject | grants | via | status |', '|---|---|---|---|---|');
  let rows = 0;
  for (const path of report.paths) {
    for (const g of path.grants) {
      rows++;
      lines.push(`| ${cell(path.title)} | ${cell(describeSubject(g.subject))} | ${cell(describeCheck(g.check))} | ${cell(describeGrantSource(g))} | ${cell(describeConfirmation(g))} |`);
    }
  }
  if (rows === 0) {lines.push('| (none) | | | | |');}
  const notApplicable = report.paths.filter((p) => !p.applicable).map((p) => p.title);
  if (notApplicable.length > 0) {lines.push('', `Not applicable: ${notApplicable.map(cell).join(', ')} (the account has no legacy token Secrets).`);}
  if (report.danglingBindings.length > 0) {
    lines.push('', 'Bindings to missing roles (they grant nothing):');
    for (const d of report.danglingBindings) {
      lines.push(`- ${d.binding.kind} ${cell(d.binding.namespace === undefined ? d.binding.name : `${d.binding.namespace}/${d.binding.name}`)} → ${d.roleRef.kind} ${cell(d.roleRef.name)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
