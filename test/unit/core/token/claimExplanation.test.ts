import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { explainClaims } from '../../../../src/core/token/claimExplanation';
import type { ClaimRow } from '../../../../src/core/token/claimExplanation';
import { formatTime } from '../../../../src/core/expiry/timeFormat';
import { extendedClaims, issuedAtMs, issuedAtSeconds, legacyClaims, podBoundClaims } from '../../../fixtures/syntheticTokens';

const now = issuedAtMs + 23 * 60_000; // 23 minutes after issue
const utc = { timeZone: 'UTC' };

function row(rows: ClaimRow[], claim: string): ClaimRow {
  const found = rows.find((r) => r.claim === claim);
  assert.ok(found, `no row for ${claim}`);
  return found;
}

suite('explainClaims', () => {
  test('lists registered claims, then kubernetes.io parts, in order', () => {
    const rows = explainClaims({ claims: podBoundClaims() }, now, utc);
    assert.deepEqual(rows.map((r) => r.claim), [
      'iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti',
      'kubernetes.io.namespace', 'kubernetes.io.serviceaccount.name', 'kubernetes.io.serviceaccount.uid',
      'kubernetes.io.pod.name', 'kubernetes.io.pod.uid', 'kubernetes.io.node.name', 'kubernetes.io.node.uid',
    ]);
    assert.equal(row(rows, 'aud').value, '["https://kubernetes.default.svc.cluster.local"]');
    assert.equal(row(rows, 'kubernetes.io.pod.name').value, 'runner-7');
    assert.equal(row(rows, 'kubernetes.io.pod.name').label, 'Bound pod');
    assert.equal(row(rows, 'kubernetes.io.node.name').label, 'Node of the pod');
  });

  test('times: local in the given zone, UTC and relative to the frozen now', () => {
    const rows = explainClaims({ claims: podBoundClaims() }, now, utc);
    assert.deepEqual(row(rows, 'exp').time, { local: 'Jul 1, 2026, 11:00:00 AM UTC', utc: '2026-07-01 11:00:00 UTC', relative: 'in 37m' });
    assert.deepEqual(row(rows, 'iat').time, { local: 'Jul 1, 2026, 10:00:00 AM UTC', utc: '2026-07-01 10:00:00 UTC', relative: '23m ago' });
    assert.equal(row(rows, 'exp').value, String(issuedAtSeconds + 3600));
    assert.equal(row(rows, 'sub').time, undefined);
    const tokyo = explainClaims({ claims: podBoundClaims() }, now, { timeZone: 'Asia/Tokyo' });
    assert.equal(row(tokyo, 'exp').time?.local, 'Jul 1, 2026, 8:00:00 PM GMT+9');
    assert.equal(row(tokyo, 'exp').time?.utc, '2026-07-01 11:00:00 UTC');
  });

  test('jti is explained as the audit-log credential id', () => {
    const rows = explainClaims({ claims: podBoundClaims() }, now, utc);
    assert.equal(row(rows, 'jti').explanation,
      'A unique credential id. The API server records it in audit logs as authentication.kubernetes.io/credential-id JTI=2b0c6a52-2c4e-4a38-9b9e-000000000001, so you can trace every request made with this token.');
  });

  test('warnafter is a time row with an explanation of extended tokens', () => {
    const rows = explainClaims({ claims: extendedClaims() }, now, utc);
    const warn = row(rows, 'kubernetes.io.warnafter');
    assert.equal(warn.time?.utc, '2026-07-01 11:00:07 UTC');
    assert.match(warn.explanation, /extended to live about a year/);
    assert.equal(row(rows, 'exp').time?.relative, 'in 364d 23h');
  });

  test('secret and node bindings', () => {
    const rows = explainClaims({ claims: { 'kubernetes.io': { namespace: 'n', serviceaccount: { name: 's' }, secret: { name: 'sec', uid: 'su' } } } }, now, utc);
    assert.deepEqual(rows.map((r) => [r.claim, r.label]), [
      ['kubernetes.io.namespace', 'Namespace'], ['kubernetes.io.serviceaccount.name', 'Service account'],
      ['kubernetes.io.secret.name', 'Bound secret'], ['kubernetes.io.secret.uid', 'Bound secret uid'],
    ]);
    const node = explainClaims({ claims: { 'kubernetes.io': { namespace: 'n', serviceaccount: { name: 's' }, node: { name: 'w' } } } }, now, utc);
    assert.equal(row(node, 'kubernetes.io.node.name').label, 'Bound node');
  });

  test('unknown claims are listed as-is, including tricky keys', () => {
    const rows = explainClaims({ claims: { sub: 'x', custom: { a: 1 }, constructor: 'c', 'kubernetes.io': { namespace: 'n', serviceaccount: { name: 's' }, future: true } } }, now, utc);
    assert.deepEqual(rows.map((r) => [r.claim, r.value]), [
      ['sub', 'x'], ['kubernetes.io.namespace', 'n'], ['kubernetes.io.serviceaccount.name', 's'], ['kubernetes.io.future', 'true'],
      ['custom', '{"a":1}'], ['constructor', 'c'],
    ]);
    assert.equal(row(rows, 'custom').explanation, 'A claim not defined by the JWT standard or Kubernetes, shown as-is.');
  });

  test('legacy tokens', () => {
    const rows = explainClaims({ claims: legacyClaims() }, now, utc);
    assert.deepEqual(rows.map((r) => r.label), ['Issuer', 'Subject', 'namespace', 'secret.name', 'service-account.name', 'service-account.uid']);
    assert.match(row(rows, 'kubernetes.io/serviceaccount/namespace').explanation, /never expire/);
  });

  test('a malformed kubernetes.io claim is shown with the reason', () => {
    const rows = explainClaims({ claims: { 'kubernetes.io': { namespace: 'n' } } }, now, utc);
    assert.deepEqual(rows, [{ claim: 'kubernetes.io', value: '{"namespace":"n"}', label: 'kubernetes.io', explanation: 'The "kubernetes.io" claim lacks a namespace or service account name.' }]);
  });

  test('non-numeric or absurd times get no time display, never a crash', () => {
    // Decoded input is untrusted JSON, whatever JWTPayload's types promise.
    const claims = JSON.parse('{"exp":"tomorrow","iat":1e20}') as Record<string, unknown>;
    const rows = explainClaims({ claims }, now, utc);
    assert.equal(row(rows, 'exp').time, undefined);
    assert.deepEqual(row(rows, 'iat').time, { local: 'invalid date', utc: 'invalid date', relative: '' });
  });
});

suite('formatTime', () => {
  test('relative wording', () => {
    assert.equal(formatTime(now, now, utc).relative, 'now');
    assert.equal(formatTime(now + 45_000, now, utc).relative, 'in 45s');
    assert.equal(formatTime(now - 3_900_000, now, utc).relative, '1h 05m ago');
  });
});
