/**
 * Long messages through the core in chunks. wasm memory can grow but never
 * shrink, so copying a 64 MiB message into the arena would leave the
 * module 64 MiB larger for its lifetime. Above STREAM_THRESHOLD bytes, BLS
 * sign and verify feed the message to a hash state in the core
 * (dta_msg_stream_*) through one reused CHUNK-byte buffer instead: the
 * arena then never holds more than CHUNK bytes of it. Other functions that
 * take messages (aggregate verification, batches, hash-to-curve) still copy
 * them in whole.
 * @module
 */
import type { Arena } from './wasm/arena.ts';
import type { CoreExports, Ptr } from './wasm/exports.ts';

/** Messages longer than this are streamed. */
export const STREAM_THRESHOLD = 64 * 1024;
const CHUNK = 64 * 1024;

/** Feeds `msg` to a new stream state in the arena (inside a run) and returns the state's address. */
export function putMessageStream(e: CoreExports, a: Arena, msg: Uint8Array): Ptr {
  const state = a.alloc(e.dta_msg_stream_bytes());
  e.dta_msg_stream_init(state);
  const chunk = a.alloc(CHUNK);
  for (let at = 0; at < msg.length; at += CHUNK) {
    const part = msg.subarray(at, Math.min(msg.length, at + CHUNK));
    a.bytes.set(part, chunk);
    e.dta_msg_stream_update(state, chunk, part.length);
  }
  return state;
}
