import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setup, suite, teardown, test } from 'mocha';
import { FileRenewalLeases } from '../../../src/platform/renewalLeases';
import { makeTempDir, removeTempDir } from '../../harness/tempDirs';

const start = Date.UTC(2026, 6, 1, 10, 0, 0);

suite('platform: renewal leases in the shared ledger folder', () => {
  let dir: string;
  let now: number;
  const window = (owner: string) => new FileRenewalLeases({ dir, owner, now: () => now, requestTimeoutMs: () => 30_000 });

  setup(() => {
    dir = makeTempDir('leases');
    now = start;
  });
  teardown(() => removeTempDir(dir));

  test('of many windows claiming one token at once, exactly one gets the lease', async () => {
    const claims = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => window(owner).acquire('token-1')));
    assert.equal(claims.filter((c) => c.acquired).length, 1);
    for (const lost of claims.filter((c) => !c.acquired)) {
      assert.equal(!lost.acquired && lost.until, start + 100_000, 'the losers learn when the lease runs out');
    }
  });

  test('a released lease can be claimed by another window; release never removes another window\'s claim', async () => {
    const a = await window('a').acquire('token-1');
    assert.ok(a.acquired);
    assert.equal((await window('b').acquire('token-1')).acquired, false);
    await a.release();
    assert.deepEqual(readdirSync(dir), []);
    const b = await window('b').acquire('token-1');
    assert.ok(b.acquired);
    await a.release(); // a late release of a's old claim
    assert.match(readFileSync(join(dir, 'token-1.lease'), 'utf8'), /"owner":"b"/);
  });

  test('a lease past its deadline (a window that crashed mid-renewal) is taken over by one window', async () => {
    writeFileSync(join(dir, 'token-1.lease'), JSON.stringify({ owner: 'crashed', deadline: start - 1 }));
    const claims = await Promise.all([window('a').acquire('token-1'), window('b').acquire('token-1')]);
    assert.equal(claims.filter((c) => c.acquired).length, 1);
    assert.deepEqual(readdirSync(dir), ['token-1.lease'], 'nothing moved aside is left behind');
  });

  test('an unreadable lease blocks nobody', async () => {
    writeFileSync(join(dir, 'token-1.lease'), 'not json');
    assert.equal((await window('a').acquire('token-1')).acquired, true);
  });

  test('leases of different tokens are independent', async () => {
    assert.equal((await window('a').acquire('token-1')).acquired, true);
    assert.equal((await window('b').acquire('token-2')).acquired, true);
  });
});
