import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { writePrivateFile } from '../../../src/inspector/privateFile';
import { makeTempDir, removeTempDir } from '../../harness/tempDirs';

const modeOf = (file: string): number => statSync(file).mode & 0o777;

suite('writePrivateFile', () => {
  let dir: string;
  let umask: number;
  suiteSetup(() => {
    dir = makeTempDir('private-file');
    // The most permissive umask: the mode must not depend on it.
    umask = process.umask(0);
  });
  suiteTeardown(() => {
    process.umask(umask);
    removeTempDir(dir);
  });

  test('a new file is created 0600 with the content, and no temp file is left', async () => {
    const file = join(dir, 'new.kubeconfig');
    await writePrivateFile(file, 'kind: Config\n');
    assert.equal(modeOf(file).toString(8), '600');
    assert.equal(readFileSync(file, 'utf8'), 'kind: Config\n');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  test('an existing world-readable file is narrowed to 0600; a narrower one is never widened', async () => {
    const open = join(dir, 'open.kubeconfig');
    writeFileSync(open, 'old');
    chmodSync(open, 0o644);
    await writePrivateFile(open, 'new');
    assert.equal(modeOf(open).toString(8), '600');
    assert.equal(readFileSync(open, 'utf8'), 'new');
    const readOnly = join(dir, 'read-only.kubeconfig');
    writeFileSync(readOnly, 'old');
    chmodSync(readOnly, 0o400);
    await writePrivateFile(readOnly, 'new');
    assert.equal(modeOf(readOnly).toString(8), '400');
    assert.equal(readFileSync(readOnly, 'utf8'), 'new');
  });

  test('a failed write leaves the target as it was and no temp file behind', async () => {
    await assert.rejects(writePrivateFile(join(dir, 'no-such-dir', 'config'), 'x'), /ENOENT/);
    // Renaming a file over a non-empty directory fails after the temp file was written.
    const target = join(dir, 'a-folder');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'kept');
    await assert.rejects(writePrivateFile(target, 'x'));
    assert.equal(readFileSync(join(target, 'inside'), 'utf8'), 'kept');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });
});
