import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Temp files are `.<final name>.<random>.tmp`: hidden, and recognisable for clean-up after a crash. */
export const TEMP_SUFFIX = '.tmp';

export function isTempFile(name: string): boolean {
  return name.startsWith('.') && name.endsWith(TEMP_SUFFIX);
}

/**
 * Writes `dir/name` so that a reader (or a restart after a crash) sees either
 * the old file or the whole new one: write a temp file in the same directory
 * (same filesystem, so rename is atomic), fsync it, rename it over the name,
 * fsync the directory so the rename itself is durable.
 */
export async function writeFileAtomic(dir: string, name: string, data: Uint8Array | string): Promise<void> {
  const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  const handle = await open(temp, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, join(dir, name));
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await fsyncDirectory(dir);
}

/** Makes renames and unlinks in `dir` durable. Some platforms cannot fsync a directory: that is not an error there. */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw err;
  } finally {
    await handle?.close();
  }
}
