/**
 * The node's transparency log, as the rest of the node sees it (interface only; node-log.ts implements it).
 * Specified in docs/protocol.md#the-nodes-log.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { Checkpoint } from '../../core/tlog/checkpoint.ts';
import type { NoteSignature } from '../../core/tlog/note.ts';

/** The latest checkpoint and its signed note (the log key's signature, then the cosignatures gathered so far). */
export interface SignedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: string;
}

/** Where appended entries landed and the signed checkpoint that covers them. */
export interface Appended {
  /** Index of the first entry given (entries already in the log keep their index: see `indices`). */
  readonly first: number;
  /** Size of the signed checkpoint that covers every entry given. */
  readonly size: number;
  /** Index of each entry given, in order. */
  readonly indices: readonly number[];
}

export interface NodeLog {
  /** The C2SP origin line of the log's checkpoints. */
  readonly origin: string;
  /** The signed-note verifier key of the log key (`<origin>+<key hash>+<base64>`). */
  readonly verifierKey: string;
  /**
   * Appends entries durably (fsynced) and signs a checkpoint covering them before resolving; entries already in
   * the log are not appended twice. Concurrent calls share one write, one fsync and one signature.
   */
  append(entries: readonly Uint8Array[]): Promise<Appended>;
  latest(): Promise<SignedCheckpoint>;
  /** The newest checkpoint that witnesses cosigned, with their cosignatures (undefined until one has). */
  cosigned(): Promise<SignedCheckpoint | undefined>;
  /** RFC 9162 inclusion proof of entry `index` in the tree of `size` (at most the latest checkpoint's). */
  inclusionProof(index: number, size: number): Promise<Uint8Array[]>;
  consistencyProof(size1: number, size2: number): Promise<Uint8Array[]>;
  /** A tile or entry bundle by its C2SP path (`tile/0/x001/234.p/5`); undefined beyond the latest checkpoint. */
  tile(path: string): Promise<Uint8Array | undefined>;
  /** Index of an entry, by its leaf hash (32 bytes) or the CID it names. */
  indexOf(key: Uint8Array | CID | string): Promise<number | undefined>;
  /**
   * Adds cosignatures of the checkpoint of `size` (the latest or an earlier one: its note is kept with them, for the
   * newest few sizes cosigned); false when `size` is beyond the latest checkpoint or older than every size kept.
   */
  addCosignatures(size: number, sigs: readonly NoteSignature[]): Promise<boolean>;
  close(): Promise<void>;
}
