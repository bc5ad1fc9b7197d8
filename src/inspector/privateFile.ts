import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Owner read/write only: what kubectl and ssh expect of a file holding a credential. */
export const privateMode = 0o600;

/**
 * Writes `content` to `file` so that only its owner can read it, atomically: a temp file created
 * 0600 (O_EXCL, next to the target so the rename stays on one file system) is filled, synced and
 * renamed over the target, so no reader ever sees a half-written file and the token never sits in a
 * file with wider permissions, not even for a moment. An existing file's mode is kept when it is
 * narrower (never widened), and never wider than 0600. Resolves with the file's mode.
 */
export async function writePrivateFile(file: string, content: string): Promise<number> {
  const mode = privateMode & (await existingMode(file) ?? privateMode);
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', privateMode);
  try {
    try {
      // The umask can only narrow the mode open gives; this makes it exact.
      await handle.chmod(mode);
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
  return mode;
}

async function existingMode(file: string): Promise<number | undefined> {
  try {
    return (await fs.stat(file)).mode & 0o777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw e;
  }
}
