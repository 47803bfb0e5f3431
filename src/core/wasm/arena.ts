/**
 * A byte arena in the module's linear memory, above `__heap_base`.
 *
 * The C core never allocates: every call gets its inputs and output
 * buffers from here. One API call = one `run()`: copy the inputs in, call
 * the export, copy the outputs out, and then ZERO every byte the call used,
 * because secret keys, shares and random coefficients pass through these
 * buffers, and have the core wipe its stack (dta_wipe_stack), where its
 * secret temporaries lived. Memory grows on demand; the arena never shrinks.
 *
 * Below the scratch region sits a pinned region for long-lived blocks (the
 * raw point handles of the benchmark API). It can only grow between calls,
 * when the scratch region is empty.
 * @module
 */
import { BadArgumentError } from '../errors.ts';
import type { CoreExports, Ptr } from './exports.ts';

const PAGE = 65536;
/** Every block is 16-byte aligned: enough for any C type the core uses. */
const ALIGN = 16;

function alignUp(n: number): number {
  return (n + ALIGN - 1) & ~(ALIGN - 1);
}

export class Arena {
  readonly #memory: WebAssembly.Memory;
  readonly #wipeStack: () => void;
  /** Start of the scratch region (end of the pinned region). */
  #base: number;
  /** Next free byte of the scratch region during a run. */
  #top: number;
  /** Highest byte used since the last wipe. */
  #high: number;
  #depth = 0;
  #view: Uint8Array;

  constructor(exports: Pick<CoreExports, 'memory' | '__heap_base' | 'dta_wipe_stack'>) {
    this.#memory = exports.memory;
    this.#wipeStack = exports.dta_wipe_stack;
    this.#base = alignUp(Number(exports.__heap_base.value));
    this.#top = this.#base;
    this.#high = this.#base;
    this.#view = new Uint8Array(this.#memory.buffer);
  }

  /** The current byte view of linear memory (a new one after memory.grow). */
  get bytes(): Uint8Array {
    if (this.#view.buffer !== this.#memory.buffer || this.#view.byteLength === 0) {
      this.#view = new Uint8Array(this.#memory.buffer);
    }
    return this.#view;
  }

  /** Start of the scratch region; exposed for tests of the wipe. */
  get scratchBase(): number {
    return this.#base;
  }

  #ensure(end: number): void {
    const size = this.#memory.buffer.byteLength;
    if (end > size) this.#memory.grow(Math.ceil((end - size) / PAGE));
  }

  /**
   * Runs `fn` with the arena; afterwards (also when fn throws) the bytes it
   * used are zeroed and the space is free again. Nested runs share the
   * outermost one's wipe.
   */
  run<T>(fn: (arena: Arena) => T): T {
    this.#depth++;
    try {
      return fn(this);
    } finally {
      if (--this.#depth === 0) this.#wipe();
    }
  }

  /** Zeroes what the call used: the arena bytes here, the C stack in the core. */
  #wipe(): void {
    this.#wipeStack();
    this.bytes.fill(0, this.#base, this.#high);
    this.#top = this.#base;
    this.#high = this.#base;
  }

  /** `len` zeroed bytes for the current run. */
  alloc(len: number): Ptr {
    if (this.#depth === 0) throw new BadArgumentError('Arena.alloc: only inside run()');
    if (!Number.isSafeInteger(len) || len < 0) throw new BadArgumentError(`Arena.alloc: bad size ${len}`);
    const ptr = this.#top;
    const end = alignUp(ptr + Math.max(len, 1));
    this.#ensure(end);
    this.#top = end;
    if (end > this.#high) this.#high = end;
    return ptr;
  }

  /** Copies `data` in and returns its address. */
  put(data: Uint8Array): Ptr {
    const ptr = this.alloc(data.length);
    this.bytes.set(data, ptr);
    return ptr;
  }

  /** Copies the items back to back (each must already have been length-checked). */
  putConcat(items: readonly Uint8Array[]): Ptr {
    let total = 0;
    for (const item of items) total += item.length;
    const ptr = this.alloc(total);
    const view = this.bytes;
    let at = ptr;
    for (const item of items) {
      view.set(item, at);
      at += item.length;
    }
    return ptr;
  }

  /** An array of little-endian uint32 (wasm is little-endian). */
  putU32(values: readonly number[]): Ptr {
    const ptr = this.alloc(values.length * 4);
    const dv = new DataView(this.#memory.buffer);
    for (const [i, v] of values.entries()) dv.setUint32(ptr + 4 * i, v >>> 0, true);
    return ptr;
  }

  /** A copy of `len` bytes at `ptr` (the copy survives the wipe). */
  read(ptr: Ptr, len: number): Uint8Array {
    return this.bytes.slice(ptr, ptr + len);
  }

  /**
   * A zeroed block that lives until `unpin`; only between runs. Moves the
   * scratch region up, which is empty between runs.
   */
  pin(len: number): Ptr {
    if (this.#depth !== 0) throw new BadArgumentError('Arena.pin: not inside run()');
    const ptr = this.#base;
    const end = alignUp(ptr + Math.max(len, 1));
    this.#ensure(end);
    this.bytes.fill(0, ptr, end);
    this.#base = end;
    this.#top = end;
    this.#high = end;
    return ptr;
  }

  /** Zeroes a pinned block (its space is reused by the caller's free list). */
  clearPinned(ptr: Ptr, len: number): void {
    this.bytes.fill(0, ptr, ptr + len);
  }
}
