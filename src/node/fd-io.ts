/**
 * File I/O on plain descriptors for the writes every order makes (fsutil.ts's durable files, storage/block-files.ts):
 * each call one request to libuv's pool and one promise, without the FileHandle of `fs/promises` (an object with a
 * finalizer per open file) and its `writeFile` loop (a promise per step).
 *
 * Calls that may wait for the disk or the file system's journal (open with O_CREAT, write, fsync, rename, link,
 * unlink) go to the pool. Closing a descriptor is made synchronously by the callers: it touches neither the disk
 * nor the journal and returns in microseconds, while a round trip to the pool (two thread wake-ups and a promise)
 * costs more than the call. Making the others synchronous too was tried and not kept (issue 13, throughput: README):
 * under load the event loop then waited on the journal while other threads' fsyncs committed it, and orders/s fell.
 * @module
 */
import { fsync, open, write } from 'node:fs';

/** Opens `path` with `flags` (numbers: fs.constants) and `mode`; the descriptor. */
export function openFd(path: string, flags: number, mode: number): Promise<number> {
  return new Promise((resolve, reject) => open(path, flags, mode, (err, fd) => (err ? reject(err) : resolve(fd))));
}

function writeSome(fd: number, bytes: Uint8Array, offset: number): Promise<number> {
  return new Promise((resolve, reject) =>
    write(fd, bytes, offset, bytes.length - offset, null, (err, n) => (err ? reject(err) : resolve(n))),
  );
}

/** Writes all of `bytes` at the descriptor's position (a short write is continued). */
export async function writeAll(fd: number, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) offset += await writeSome(fd, bytes, offset);
}

/** Flushes the file or directory open as `fd` to disk. */
export function fsyncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
}
