import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, setup, teardown, test } from 'mocha';
import { jwtsIn, scanForLeaks } from '../../harness/leakScan';
import { makeTempDir, removeTempDir } from '../../harness/tempDirs';

function fakeJwt(claims: object = { iss: 'https://kubernetes.default.svc', sub: 'system:serviceaccount:dev:builder' }): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: randomBytes(8).toString('hex') })}.${part(claims)}.${randomBytes(256).toString('base64url')}`;
}

suite('leak scan', () => {
  let dir: string;
  setup(() => {
    dir = makeTempDir('unit-leakscan');
  });
  teardown(() => removeTempDir(dir));

  const scanDir = (tokens: string[], allowedJwts: string[] = []) => scanForLeaks({ tokens, folders: [{ path: dir, label: 'data' }], allowedJwts });

  test('a clean folder and clean texts have no hits', () => {
    mkdirSync(join(dir, 'User', 'globalStorage'), { recursive: true });
    writeFileSync(join(dir, 'User', 'settings.json'), JSON.stringify({ 'saTokens.sessionOnlyTokens': true }));
    writeFileSync(join(dir, 'log.txt'), 'token sha256:0123abcd stored for dev/builder\n');
    writeFileSync(join(dir, 'LOCK'), '');
    writeFileSync(join(dir, 'one-byte'), 'x');
    assert.deepEqual(scanForLeaks({ tokens: [fakeJwt()], folders: [{ path: dir, label: 'data' }], texts: [{ place: 'ui', text: 'Token stored' }] }), []);
  });

  test('finds an issued token raw in a nested log, and masks it in the excerpt', () => {
    const token = fakeJwt();
    mkdirSync(join(dir, 'logs', '20260101', 'exthost1'), { recursive: true });
    writeFileSync(join(dir, 'logs', '20260101', 'exthost1', 'sa-tokens.log'), `2026-01-01 [info] renewed ${token} ok\n`);
    const hits = scanDir([token]);
    assert.equal(hits.length, 1, JSON.stringify(hits));
    assert.equal(hits[0]!.place, 'data/logs/20260101/exthost1/sa-tokens.log');
    assert.equal(hits[0]!.what, 'issued token #1');
    assert.ok(!hits[0]!.excerpt.includes(token.split('.')[2]!), hits[0]!.excerpt);
    assert.match(hits[0]!.excerpt, /renewed \[eyJhbG… \d+ chars\] ok/);
  });

  test('finds an issued token base64-encoded and JSON-escaped', () => {
    const token = fakeJwt();
    writeFileSync(join(dir, 'secret.yaml'), `data:\n  kubeconfig: ${Buffer.from(token).toString('base64')}\n`);
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ value: JSON.stringify({ token }) }));
    const places = scanDir([token]).map((h) => `${h.place}: ${h.what}`);
    assert.ok(places.includes('data/secret.yaml: issued token #1 (base64)'), places.join('\n'));
    assert.ok(places.includes('data/state.json: issued token #1'), places.join('\n'));
  });

  test('finds a token split at its dots by its signature segment', () => {
    const token = fakeJwt();
    writeFileSync(join(dir, 'Backups.txt'), token.split('.').join('\n'));
    assert.deepEqual(scanDir([token]).map((h) => h.what), ['issued token #1 (signature segment)']);
  });

  test("finds an issued token in VS Code's SQLite state database (globalState)", () => {
    const token = fakeJwt();
    mkdirSync(join(dir, 'User', 'globalStorage'), { recursive: true });
    // VS Code's schema, written by node:sqlite in a child (loaded into mocha's process, it aborts it at exit).
    const write = `const { DatabaseSync } = require('node:sqlite');
      const db = new DatabaseSync(process.argv[1]);
      db.exec('CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)');
      db.prepare('INSERT INTO ItemTable (key, value) VALUES (?, ?)').run('kube-sa-tokens.kube-sa-tokens', process.argv[2]);
      db.close();`;
    const file = join(dir, 'User', 'globalStorage', 'state.vscdb');
    const written = spawnSync(process.execPath, ['--no-warnings', '-e', write, file, JSON.stringify({ index: [{ id: 'a', cached: token }] })], { encoding: 'utf8' });
    assert.equal(written.status, 0, written.stderr);
    const hits = scanDir([token]);
    assert.ok(hits.some((h) => h.place === 'data/User/globalStorage/state.vscdb' && h.what === 'issued token #1'), JSON.stringify(hits));
  });

  test('finds a token stored as UTF-16 in a binary file (a browser profile)', () => {
    const token = fakeJwt();
    writeFileSync(join(dir, '000003.log'), Buffer.concat([randomBytes(64), Buffer.from(token, 'utf16le'), randomBytes(64)]));
    assert.ok(scanDir([token]).some((h) => h.what === 'issued token #1 (UTF-16)'));
  });

  test('finds a JWT that was not recorded (another server issued it), raw, base64 or UTF-16, but not one the test placed', () => {
    const unrecorded = fakeJwt({ iss: 'https://kubernetes.default.svc.cluster.local' });
    const fixture = fakeJwt({ iss: 'sandbox', sub: 'expired' });
    writeFileSync(join(dir, 'a.log'), `Authorization: Bearer ${unrecorded}\n`);
    writeFileSync(join(dir, 'b.bin'), Buffer.from(Buffer.from(unrecorded).toString('base64')));
    writeFileSync(join(dir, 'c.ldb'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(unrecorded, 'utf16le')]));
    writeFileSync(join(dir, 'kubeconfig-copy'), `token: ${fixture}\n`);
    const hits = scanDir([], jwtsIn(`users:\n- user:\n    token: ${fixture}\n`));
    assert.deepEqual(hits.map((h) => `${h.place}: ${h.what}`).sort(), ['data/a.log: a JWT', 'data/b.bin: a base64-encoded JWT', 'data/c.ldb: a JWT (UTF-16)']);
  });

  test('scans captured UI texts (notifications, tree tooltips, webview text)', () => {
    const token = fakeJwt();
    const hits = scanForLeaks({ tokens: [token], texts: [{ place: 'UI text of the workbench', text: `Request failed: ${token}` }] });
    assert.deepEqual(hits.map((h) => h.place), ['UI text of the workbench']);
  });
});
