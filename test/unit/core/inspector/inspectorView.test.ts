import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { decodeToken } from '../../../../src/core/token/decodeToken';
import {
  buildInspectorView, describeBoundObject, describeKeyFetchFailure, describeRules, describeTokenReview, describeVerification, inspectorTabTitle, maskToken, withFailedRecheck,
} from '../../../../src/core/inspector/inspectorView';
import { isInspectorView } from '../../../../src/inspector/protocol';
import { extendedClaims, fakeJwt, issuedAtMs, issuedAtSeconds, podBoundClaims } from '../../../fixtures/syntheticTokens';

const now = issuedAtMs + 600_000;

suite('inspectorView', () => {
  const raw = fakeJwt({ alg: 'RS256', kid: 'k1' }, podBoundClaims(), 'c2lnbmF0dXJlLXNlY3JldA');

  test('the view carries claims and a masked preview, never the token or its signature', () => {
    const view = buildInspectorView({ key: 'k', decoded: decodeToken(raw), source: 'input', hasToken: true, now, timeFormat: { timeZone: 'UTC' } });
    const json = JSON.stringify(view);
    assert.ok(!json.includes(raw), 'no raw token');
    assert.ok(!json.includes('c2lnbmF0dXJlLXNlY3JldA'), 'no signature');
    assert.ok(!json.includes(raw.split('.')[1]!), 'no encoded payload');
    assert.equal(view.masked, `${raw.slice(0, 6)}…(${raw.length} characters)…`);
    assert.equal(view.title, 'Token: build/ci-bot (bound to Pod runner-7)');
    assert.deepEqual(view.identity, { kind: 'bound', namespace: 'build', serviceAccount: 'ci-bot', binding: { kind: 'Pod', name: 'runner-7', uid: '00000000-0000-4000-8000-0000000000p7' } });
    assert.equal(view.kid, 'k1');
    assert.ok(isInspectorView(view), 'passes the page-side guard');
  });

  test('time rows carry ms for the live relative text; lifetime has iat/exp', () => {
    const view = buildInspectorView({ key: 'k', decoded: decodeToken(raw), source: 'input', hasToken: true, now, timeFormat: { timeZone: 'UTC' } });
    const exp = view.claims.find((r) => r.claim === 'exp');
    assert.equal(exp?.time?.ms, (issuedAtSeconds + 3600) * 1000);
    assert.equal(exp?.time?.utc, '2026-07-01 11:00:00 UTC');
    assert.equal(exp?.time?.relative, 'in 50m');
    assert.deepEqual(view.lifetime, { iatMs: issuedAtMs, nbfMs: issuedAtMs, expMs: issuedAtMs + 3_600_000 });
    assert.ok(view.claims.some((r) => r.claim === 'kubernetes.io.pod.name' && r.value === 'runner-7'));
  });

  test('extended tokens are explained from the JWT alone, warnafter marked', () => {
    const view = buildInspectorView({ key: 'k', decoded: decodeToken(fakeJwt({ alg: 'RS256' }, extendedClaims())), source: 'input', hasToken: true, now });
    assert.equal(view.lifetime.warnAfterMs, (issuedAtSeconds + 3607) * 1000);
    assert.equal(view.lifetime.comparison?.extended, true);
    assert.match(view.lifetime.comparison!.explanations[0]!, /extended this token/);
    assert.equal(view.claims.find((r) => r.claim === 'kubernetes.io.warnafter')?.time?.ms, (issuedAtSeconds + 3607) * 1000);
  });

  test('store facts give requested vs issued (shortened)', () => {
    const decoded = decodeToken(fakeJwt({ alg: 'RS256' }, podBoundClaims()));
    const view = buildInspectorView({ key: 'k', decoded, source: 'store', storeId: 's1', hasToken: true, now, issued: { requestedExpirationSeconds: 7200, issuedExpirationSeconds: 3600 } });
    assert.equal(view.lifetime.comparison?.shortened, true);
    assert.equal(view.lifetime.comparison?.requestedSeconds, 7200);
    assert.equal(view.lifetime.comparison?.issuedSeconds, 3600);
    assert.match(view.lifetime.comparison!.explanations[0]!, /asked for 2h but the server issued 1h/);
  });

  test('a pasted non-extended token gets no made-up comparison', () => {
    const view = buildInspectorView({ key: 'k', decoded: decodeToken(raw), source: 'input', hasToken: true, now });
    assert.equal(view.lifetime.comparison, undefined);
  });

  test('tab titles name the subject and the expiry, so tabs of different tokens tell apart', () => {
    const utc = { timeZone: 'UTC' };
    const view = (claims: Record<string, unknown>) => buildInspectorView({ key: 'k', decoded: decodeToken(fakeJwt({ alg: 'RS256' }, claims)), source: 'input', hasToken: true, now });
    assert.equal(inspectorTabTitle(view(podBoundClaims()), now, utc), 'Token: build/ci-bot · expires 11:00');
    assert.equal(inspectorTabTitle(view(podBoundClaims()), issuedAtMs + 7_200_000, utc), 'Token: build/ci-bot · expired 11:00');
    // Another day: the date too.
    assert.equal(inspectorTabTitle(view(podBoundClaims({ exp: issuedAtSeconds + 2 * 86_400 })), now, utc), 'Token: build/ci-bot · expires Jul 3, 10:00');
    // The time zone decides what "14:05" means.
    assert.equal(inspectorTabTitle(view(podBoundClaims()), now, { timeZone: 'Europe/Paris' }), 'Token: build/ci-bot · expires 13:00');
    // Not from Kubernetes: its sub, else its iss; no exp says so.
    assert.equal(inspectorTabTitle(view({ sub: 'alice', iss: 'https://idp.example', exp: issuedAtSeconds + 3600 }), now, utc), 'Token: alice · expires 11:00');
    assert.equal(inspectorTabTitle(view({ iss: 'https://idp.example' }), now, utc), 'Token: https://idp.example · no expiry');
    assert.equal(inspectorTabTitle(view({}), now, utc), 'Token: JWT · no expiry');
    const long = inspectorTabTitle(view({ sub: 'x'.repeat(200) }), now, utc);
    assert.equal(long, `Token: ${'x'.repeat(47)}… · no expiry`);
  });

  test('maskToken keeps 6 characters', () => {
    assert.equal(maskToken('eyJhbGciOi.abc.def'), 'eyJhbG…(18 characters)…');
  });

  test('verification texts', () => {
    assert.deepEqual(
      [describeVerification({ state: 'verified', kid: 'abc', alg: 'RS256' }).title, describeVerification({ state: 'key-not-found', kid: 'old', alg: 'RS256', needsRefetch: true }).title],
      ['Signature verified (key abc)', 'Signing key not found (rotated?)'],
    );
    assert.match(describeVerification({ state: 'unsupported-algorithm', alg: 'none' }).detail, /unsigned \(alg "none"\)/);
    assert.equal(describeVerification({ state: 'invalid-signature', alg: 'RS256', kid: 'k' }).state, 'invalid-signature');
    const forbidden = describeKeyFetchFailure('ERR_FORBIDDEN', 'forbidden');
    assert.equal(forbidden.state, 'cannot-fetch');
    assert.match(forbidden.detail, /HTTP 403.*system:service-account-issuer-discovery/);
    assert.match(describeKeyFetchFailure('ERR_UNREACHABLE', 'Cannot reach 10.0.0.1.').detail, /^Cannot reach 10\.0\.0\.1\. The claims below stay UNVERIFIED\.$/);
  });

  test('TokenReview: authenticated, audience mismatch, invalidated', () => {
    const ok = describeTokenReview({ authenticated: true, user: { username: 'system:serviceaccount:build:ci-bot', groups: ['system:serviceaccounts'], extra: { 'authentication.kubernetes.io/credential-id': ['JTI=x'] } }, audiences: ['api'] }, ['api']);
    assert.equal(ok.status, 'ok');
    assert.equal(ok.summary, 'Authenticated as system:serviceaccount:build:ci-bot');
    assert.deepEqual(ok.details.find(([k]) => k === 'authentication.kubernetes.io/credential-id'), ['authentication.kubernetes.io/credential-id', 'JTI=x']);
    const aud = describeTokenReview({ authenticated: false, error: '[invalid bearer token, token audiences ["vault"] is invalid for the target audiences ["api"]]' }, ['vault']);
    assert.equal(aud.status, 'bad');
    assert.match(aud.explanation!, /audiences \(vault\) do not include the API server's audience/);
    assert.match(describeTokenReview({ authenticated: false, error: 'service account token has been invalidated' }, []).explanation!, /invalidated/);
  });

  test('rules as a table; incomplete is a warning', () => {
    const r = describeRules('build', { resourceRules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }], incomplete: true });
    assert.equal(r.status, 'warn');
    assert.deepEqual(r.table?.rows, [['pods', 'core', 'all', 'get, list'], ['/healthz', '(non-resource URL)', '', 'get']]);
  });

  test('bound object: gone, replaced, present', () => {
    const binding = { kind: 'Pod', name: 'runner-7', uid: 'u1' };
    assert.equal(describeBoundObject(binding, 'build', { exists: false }).status, 'bad');
    assert.match(describeBoundObject(binding, 'build', { exists: false }).summary, /Pod build\/runner-7 no longer exists/);
    assert.match(describeBoundObject(binding, 'build', { exists: true, uid: 'u2', uidMatches: false }).summary, /different object/);
    assert.equal(describeBoundObject(binding, 'build', { exists: true, uid: 'u1', uidMatches: true }).status, 'ok');
  });

  test('a failed re-check keeps the verification and reads as sentences, whether or not the server\'s error ends with a full stop', () => {
    const verified = { state: 'verified' as const, title: 'Signature verified (key k1)', detail: 'Signed by a key the cluster publishes.' };
    for (const error of ['injected fault', 'injected fault.']) {
      const view = withFailedRecheck(verified, '14:05 (2m ago)', { state: 'unavailable', title: 'Cannot fetch the cluster\'s signing keys', detail: `The server said: ${error} The claims below stay UNVERIFIED.` });
      assert.equal(view.state, 'verified');
      assert.equal(view.title, 'Signature verified (key k1) (last verified at 14:05 (2m ago))');
      assert.equal(view.detail, 'Re-check failed: Cannot fetch the cluster\'s signing keys. The server said: injected fault. The earlier verification against the cluster\'s keys still stands.');
    }
  });
});
