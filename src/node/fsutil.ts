/**
 * Durable file writes. Every record the node promises to keep (a keystore
 * secret, an order, a committed reply) goes through here: the bytes are
 * written to a temporary file, flushed with fsync, moved into place and the
 * directory is flushed too, so that neither kill -9 nor a power cut can
 * leave a half-written or missing file behind once the promise resolves.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Flushes a directory's entries (new names, renames) to disk. Concurrent writers each flush their own: the file
 * system's journal already merges concurrent flushes, and sharing them here made a writer wait for the flush
 * running before its own (tried for issue 13's throughput, not kept: README, "Where those 20 ms went").
 */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Creates the file `tmp` for writing; its directory only when missing (a mkdir per write is a system call each). */
async function openNew(tmp: string, mode: number): Promise<Awaited<ReturnType<typeof open>>> {
  try {
    return await open(tmp, 'wx', mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dirname(tmp), { recursive: true, mode: 0o700 });
    return open(tmp, 'wx', mode);
  }
}

/** Writes `bytes` to a fresh temporary file next to `file`, fsynced; returns its path. */
async function writeTemp(file: string, bytes: Uint8Array, mode: number): Promise<string> {
  const dir = dirname(file);
  const tmp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
  const fh = await openNew(tmp, mode);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return tmp;
}

/** Atomically replaces `file` with `bytes` (durable before the promise resolves). */
export async function writeDurable(file: string, bytes: Uint8Array | string, mode = 0o600): Promise<void> {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const tmp = await writeTemp(file, data, mode);
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dirname(file));
}

/**
 * Creates `file` with `bytes` only if no file of that name exists (atomic:
 * a hard link fails with EEXIST). Returns false when the name was taken.
 */
export async function createDurable(file: string, bytes: Uint8Array, mode = 0o600): Promise<boolean> {
  const tmp = await writeTemp(file, bytes, mode);
  try {
    await link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlinkIfExists(tmp);
  }
  await fsyncDir(dirname(file));
  return true;
}

/** Removes the file `file` (nothing when it does not exist): one unlink, not rm's walk, on every keystore write. */
async function unlinkIfExists(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Removes `file` for good (nothing when it does not exist): its bytes overwritten with zeros and fsynced, then the
 * name unlinked and the directory fsynced, so a secret that was moved away is gone from the disk once this resolves.
 */
export async function removeDurable(file: string): Promise<void> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(file, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const { size } = await fh.stat();
    await fh.write(new Uint8Array(size), 0, size, 0);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rm(file, { force: true });
  await fsyncDir(dirname(file));
}

/** The file's bytes, or undefined when it does not exist. */
export async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Removes temporary files a crash left behind in `dir` (they were never renamed into place). */
export async function sweepTemps(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(names.filter((n) => n.startsWith('.tmp-')).map((n) => rm(join(dir, n), { force: true })));
}
