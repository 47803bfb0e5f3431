/**
 * What the node's main thread and its crypto workers say to each other (worker.ts, worker-slot.ts). Only bytes
 * and plain values cross: a CID or a validated key handle would lose its class on the way, so envelope
 * initialisations travel as DAG-CBOR and keys as their compressed bytes.
 * @module
 */

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
}

export type TaskRequest =
  /** Checks every item; the answer holds one verdict per item, in order. */
  | { readonly kind: 'verify'; readonly items: readonly VerifyItem[] }
  /** Creates an envelope signed with the node's key: `init` is DAG-CBOR of an EnvelopeInit (worker.ts). */
  | { readonly kind: 'envelope'; readonly init: Uint8Array };

export type ToWorker =
  | { readonly kind: 'init'; readonly secrets: WorkerSecrets }
  | { readonly kind: 'task'; readonly id: number; readonly task: TaskRequest }
  | { readonly kind: 'close' };

export type TaskValue = boolean[] | Uint8Array;

export type FromWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'done'; readonly id: number; readonly value: TaskValue }
  /** A task refused: the error's name and message only, never a stack (the name is what callers map). */
  | { readonly kind: 'failed'; readonly id: number; readonly name: string; readonly message: string }
  | { readonly kind: 'closed' };

/** An error a worker reported, rebuilt on the main thread with the same name (protocolToApi maps by name). */
export function workerError(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}
