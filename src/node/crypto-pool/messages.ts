/**
 * What the node's main thread and its crypto workers say to each other (worker.ts, worker-slot.ts). Only bytes
 * and plain values cross: a CID or a validated key handle would lose its class on the way, so envelope
 * initialisations travel as DAG-CBOR and keys as their compressed bytes. A request to open travels as its key
 * slot and sealed content (SealedSlot), cut from the envelope the event loop decoded and checked, so the worker
 * does not decode it again.
 * @module
 */
import type { SealedSlot } from '../../core/protocol/envelope.ts';

/** One BLS signature to check: min-pk public key (48 bytes), message, signature (96 bytes). */
export interface VerifyItem {
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/** The node's secrets a worker holds from `init` until `close` (it wipes them then). */
export interface WorkerSecrets {
  /** The node identity's BLS secret key: signs reply envelopes. */
  readonly bls: Uint8Array;
  /** The node identity's X-Wing seed: opens requests sealed to the node. */
  readonly xwing: Uint8Array;
}

/** Who the worker is: the node identity's CID (the key slot it opens). */
export interface WorkerIdentity {
  readonly node: string;
}

/** A signature check that, when it verifies, also opens `open`: the node's slot of a request sealed to it. */
export interface VerifyOpenItem extends VerifyItem {
  readonly open?: SealedSlot;
}

/** The answer to one VerifyOpenItem: its verdict, and the open's outcome when it asked for one and verified. */
export interface VerifiedItem {
  readonly ok: boolean;
  readonly opened?: TaskOutcome;
}

export type TaskRequest =
  /** Checks every item; the answer holds one verdict per item, in order. */
  | { readonly kind: 'verify'; readonly items: readonly VerifyItem[] }
  /**
   * Checks every item as `verify` does, then opens the envelopes of those that verified: one round for a
   * request's signature and its sealed content. The answer holds one VerifiedItem per item, in order.
   */
  | { readonly kind: 'verify-open'; readonly items: readonly VerifyOpenItem[] }
  /** Creates an envelope signed with the node's key: `init` is DAG-CBOR of an EnvelopeInit (worker.ts). */
  | { readonly kind: 'envelope'; readonly init: Uint8Array }
  /** Opens the node's slot of a request sealed to it (verified, version 2): its content's DAG-CBOR bytes. */
  | { readonly kind: 'open'; readonly slot: SealedSlot };

/**
 * Tasks travel in rounds: every task queued for a worker goes in one message and comes back in one, because each
 * message costs a lock and a wake-up on both sides, which on a busy machine weighs more than a small task.
 */
export type ToWorker =
  | { readonly kind: 'init'; readonly secrets: WorkerSecrets; readonly identity: WorkerIdentity }
  | { readonly kind: 'round'; readonly id: number; readonly tasks: readonly TaskRequest[] }
  | { readonly kind: 'close' };

export type TaskValue = boolean[] | VerifiedItem[] | Uint8Array;

/** One task's outcome; a refusal carries the error's name and message only, never a stack (callers map the name). */
export type TaskOutcome =
  | { readonly ok: true; readonly value: TaskValue }
  | { readonly ok: false; readonly name: string; readonly message: string };

export type FromWorker =
  | { readonly kind: 'round'; readonly id: number; readonly outcomes: readonly TaskOutcome[] }
  | { readonly kind: 'closed' };

/** An error a worker reported, rebuilt on the main thread with the same name (protocolToApi maps by name). */
export function workerError(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}
