import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { errorBackground, expiryStatus, warningBackground } from '../../../../src/core/expiry/expiryStatus';
import { trackedTokenItems } from '../../../../src/core/expiry/trackedTokenItems';
import type { TrackedToken } from '../../../../src/core/expiry/trackedTokens';

const t0 = Date.UTC(2026, 6, 1, 10, 0, 0);
const minute = 60_000;

function token(overrides: Partial<TrackedToken> = {}): TrackedToken {
  return {
    id: 'a',
    context: 'sandbox-admin',
    namespace: 'build',
    serviceAccount: 'ci-bot',
    audiences: ['https://kubernetes.default.svc.cluster.local'],
    issuedAt: t0,
    expiresAt: t0 + 60 * minute,
    ...overrides,
  };
}

const utc = { timeZone: 'UTC' };

suite('expiryStatus', () => {
  test('hidden with no tokens', () => {
    const s = expiryStatus([], t0, utc);
    assert.equal(s.visible, false);
    assert.equal(s.text, '');
    assert.equal(s.tokenCount, 0);
    assert.equal(s.backgroundColorId, undefined);
  });

  test('shows the soonest-expiring token, minutes and hours, no colour while ok', () => {
    const tokens = [token({ id: 'late', serviceAccount: 'deployer', expiresAt: t0 + 3 * 60 * minute }), token({ id: 'soon', expiresAt: t0 + 59 * minute })];
    const s = expiryStatus(tokens, t0, utc);
    assert.equal(s.visible, true);
    assert.equal(s.text, '$(key) ci-bot 59m');
    assert.equal(s.soonestId, 'soon');
    assert.equal(s.level, 'ok');
    assert.equal(s.backgroundColorId, undefined);
    assert.deepEqual(s.tokens.map((x) => [x.id, x.timeLeftText]), [['soon', '59m'], ['late', '3h 00m']]);
    const late = expiryStatus([tokens[0]], t0, utc);
    assert.equal(late.text, '$(key) deployer 3h 00m');
  });

  test('default threshold: the later of 10 minutes and 20 % of the lifetime', () => {
    // 1 h token: 20 % = 12 min.
    assert.equal(expiryStatus([token()], t0 + 47 * minute, utc).level, 'ok');
    const warn = expiryStatus([token()], t0 + 48 * minute, utc);
    assert.equal(warn.level, 'warning');
    assert.equal(warn.backgroundColorId, warningBackground);
    assert.equal(warn.text, '$(key) ci-bot 12m');
    // 20 min token: 20 % = 4 min, so 10 min wins.
    const short = token({ expiresAt: t0 + 20 * minute });
    assert.equal(expiryStatus([short], t0 + 9 * minute, utc).level, 'ok');
    assert.equal(expiryStatus([short], t0 + 10 * minute, utc).level, 'warning');
  });

  test('the setting overrides the default threshold', () => {
    assert.equal(expiryStatus([token()], t0 + 48 * minute, { ...utc, warningMinutes: 5 }).level, 'ok');
    assert.equal(expiryStatus([token()], t0 + 55 * minute, { ...utc, warningMinutes: 5 }).level, 'warning');
    assert.equal(expiryStatus([token()], t0 + 1, { ...utc, warningMinutes: 90 }).level, 'warning');
    // null (the setting's default) means "use the default rule".
    assert.equal(expiryStatus([token()], t0 + 47 * minute, { ...utc, warningMinutes: null }).level, 'ok');
  });

  test('seconds only in the last minute, then expired with error colours', () => {
    assert.equal(expiryStatus([token()], t0 + 58 * minute + 59_000, utc).text, '$(key) ci-bot 1m');
    assert.equal(expiryStatus([token()], t0 + 59 * minute, utc).text, '$(key) ci-bot 1m');
    assert.equal(expiryStatus([token()], t0 + 59 * minute + 1, utc).text, '$(key) ci-bot 59s');
    assert.equal(expiryStatus([token()], t0 + 60 * minute - 1, utc).text, '$(key) ci-bot 1s');
    const expired = expiryStatus([token()], t0 + 60 * minute, utc);
    assert.equal(expired.text, '$(key) ci-bot expired');
    assert.equal(expired.level, 'expired');
    assert.equal(expired.backgroundColorId, errorBackground);
  });

  test('clock skew: time left is computed on the server clock', () => {
    // Local clock 5 min behind the server (clockSkewMs = local - server = -5 min): 5 min less left.
    const skewed = token({ clockSkewMs: -5 * minute });
    const s = expiryStatus([skewed], t0, utc);
    assert.equal(s.text, '$(key) ci-bot 55m');
    assert.match(s.tooltip, /Clock skew: the cluster's clock is 5m ahead of this machine/);
    // Under a minute: used but not shown.
    const small = expiryStatus([token({ clockSkewMs: 30_000 })], t0, utc);
    assert.equal(small.text, '$(key) ci-bot 60m'.replace('60m', '1h 00m'));
    assert.doesNotMatch(small.tooltip, /Clock skew/);
  });

  test('tooltip lists every token with context, namespace, audiences, expiry, binding, staleness', () => {
    const tokens = [
      token({ boundObject: { kind: 'Pod', name: 'runner-7', uid: 'u1' }, warnAfter: t0 + 3607_000, expiresAt: t0 + 365 * 24 * 60 * minute, autoRenew: true }),
      token({ id: 'b', serviceAccount: 'deployer', namespace: 'prod', context: 'sandbox-limited', audiences: [], expiresAt: t0 + 30 * minute }),
    ];
    const s = expiryStatus(tokens, t0, utc);
    assert.match(s.tooltip, /^\*\*Tracked service-account tokens \(2\)\*\*/);
    // deployer expires first, so it is listed first.
    assert.ok(s.tooltip.indexOf('**deployer**') < s.tooltip.indexOf('**ci\\-bot**'));
    assert.match(s.tooltip, /Context `sandbox-limited` · namespace `prod`/);
    assert.match(s.tooltip, /Audiences: the API server default/);
    assert.match(s.tooltip, /Audiences: `https:\/\/kubernetes.default.svc.cluster.local`/);
    assert.match(s.tooltip, /Expires: Jul 1, 2026, 10:30:00 AM UTC \(in 30m\)/);
    assert.match(s.tooltip, /Stale from: Jul 1, 2026, 11:00:07 AM UTC \(in 1h 00m\), when the cluster starts flagging this token as stale/);
    assert.match(s.tooltip, /Bound to Pod `runner-7`/);
    assert.match(s.tooltip, /Auto-renew: on, at Jul 1, 2026, 10:48:05 AM UTC/);
    assert.equal(s.text, '$(key) deployer 30m');
  });

  test('quick pick items are sorted by expiry and carry their details', () => {
    const items = trackedTokenItems([
      token({ id: 'late', expiresAt: t0 + 2 * 60 * minute, autoRenew: true }),
      token({ id: 'gone', serviceAccount: 'old', expiresAt: t0 - 1 }),
      token({ id: 'soon', serviceAccount: 'deployer', expiresAt: t0 + 5 * minute, audiences: [], boundObject: { kind: 'Secret', name: 's1' } }),
    ], t0);
    assert.deepEqual(items.map((i) => i.id), ['gone', 'soon', 'late']);
    assert.deepEqual(items[0], { id: 'gone', label: '$(error) old', description: 'expired', detail: 'build · sandbox-admin · audiences: https://kubernetes.default.svc.cluster.local', autoRenew: false });
    assert.equal(items[1].label, '$(warning) deployer');
    assert.equal(items[1].description, 'expires in 5m');
    assert.equal(items[1].detail, 'build · sandbox-admin · audiences: API server default · bound to Secret s1');
    assert.equal(items[2].label, '$(key) ci-bot');
    assert.match(items[2].detail, /auto-renew on$/);
  });
});
