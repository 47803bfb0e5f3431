/**
 * The witness of C2SP tlog-witness: add-checkpoint checks a log's new
 * checkpoint against the last one it cosigned for that log and, when it
 * extends it, cosigns it (C2SP tlog-cosignature) and remembers it. In order:
 * the log must be one this node witnesses (404), its key must have signed
 * the note (403), the old size may not exceed the new one (400); then, one
 * request per log at a time, a checkpoint of the size already cosigned with
 * another root is a fork (409, kept as evidence), an old size other than the
 * cosigned one is stale (409 with the cosigned size), and the consistency
 * proof from the cosigned checkpoint must verify (422, kept as evidence).
 * The new state is durable before the cosignature is returned.
 * @module
 */
import { equalBytes } from '../../core/bytes.ts';
import { type Checkpoint, parseCheckpoint } from '../../core/tlog/checkpoint.ts';
import type { Cosigner } from '../../core/tlog/cosignature.ts';
import { TlogError } from '../../core/tlog/errors.ts';
import { verifyConsistency } from '../../core/tlog/merkle.ts';
import { type NoteSignature, type NoteVerifier, openNote } from '../../core/tlog/note.ts';
import { WitnessError } from './errors.ts';
import type { EvidenceStore } from './evidence.ts';
import type { AddCheckpointRequest } from './request.ts';
import { KeyedSerial } from './serial.ts';
import type { CosignedCheckpoint, WitnessStateStore } from './state.ts';

export interface WitnessComponents {
  /** The logs witnessed here: origin → the keys trusted to sign its checkpoints. */
  readonly logs: ReadonlyMap<string, readonly NoteVerifier[]>;
  readonly cosigner: Cosigner;
  readonly state: WitnessStateStore;
  readonly evidence: EvidenceStore;
  /** Milliseconds since the epoch (the cosignature's timestamp). */
  readonly now: () => number;
}

/** A checkpoint whose note verified under its log's key. */
interface SignedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly text: string;
  readonly note: string;
}

export class Witness {
  readonly #c: WitnessComponents;
  readonly #serial = new KeyedSerial();

  constructor(components: WitnessComponents) {
    this.#c = components;
  }

  /** The origins of the logs witnessed here. */
  origins(): string[] {
    return [...this.#c.logs.keys()];
  }

  /** Checks, cosigns and records `req`; throws WitnessError with the status the spec gives each refusal. */
  async addCheckpoint(req: AddCheckpointRequest): Promise<NoteSignature[]> {
    const signed = this.#open(req.note);
    const { origin, size } = signed.checkpoint;
    if (req.oldSize > size) throw new WitnessError('rollback', `old size ${req.oldSize} is above the size ${size}`);
    return this.#serial.run(origin, async () => {
      const cosigned = await this.#c.state.get(origin);
      await this.#check(req, signed, cosigned);
      const time = Math.floor(this.#c.now() / 1000);
      const signature = this.#c.cosigner.cosign(signed.text, time);
      await this.#c.state.put({ origin, size, root: signed.checkpoint.root, note: signed.note });
      return [signature];
    });
  }

  /** The note opened with the keys of the log it names; its checkpoint parsed. */
  #open(note: string): SignedCheckpoint {
    const origin = note.slice(0, Math.max(0, note.indexOf('\n')));
    const verifiers = this.#c.logs.get(origin);
    if (!verifiers) throw new WitnessError('unknown_log', 'this node does not witness a log of that origin');
    let opened: ReturnType<typeof openNote>;
    try {
      opened = openNote(note, verifiers);
    } catch (err) {
      throw fromTlog(err, 'the checkpoint note');
    }
    if (opened.verified.length === 0) throw new WitnessError('bad_signature', 'no signature of the log verifies');
    let checkpoint: Checkpoint;
    try {
      checkpoint = parseCheckpoint(opened.text);
    } catch (err) {
      throw fromTlog(err, 'the checkpoint');
    }
    if (checkpoint.origin !== origin) throw new WitnessError('malformed', 'the checkpoint names another origin');
    return { checkpoint, text: opened.text, note };
  }

  /** The checks against the last cosigned checkpoint; records evidence before refusing a fork or a bad proof. */
  async #check(req: AddCheckpointRequest, signed: SignedCheckpoint, cosigned: CosignedCheckpoint | undefined) {
    const { size, root } = signed.checkpoint;
    const held = cosigned?.size ?? 0;
    if (cosigned && size === held && !equalBytes(root, cosigned.root)) {
      await this.#keep('fork', req, signed, cosigned);
      throw new WitnessError('fork', `the log signed another checkpoint of size ${size} than the one cosigned here`);
    }
    if (req.oldSize !== held)
      throw new WitnessError('stale_old', `the last checkpoint cosigned is of size ${held}`, held);
    if (!cosigned || held === 0) return;
    // The checkpoint cosigned, shown again: a proof is out of place, but nothing here contradicts the log.
    if (size === held && req.proof.length > 0)
      throw new WitnessError('inconsistent', 'equal sizes take an empty proof');
    try {
      verifyConsistency(held, size, req.proof, cosigned.root, root);
    } catch (err) {
      if (!(err instanceof TlogError)) throw err;
      await this.#keep('inconsistent', req, signed, cosigned);
      throw new WitnessError('inconsistent', `no consistency from size ${held} to ${size}: ${err.message}`);
    }
  }

  async #keep(kind: 'fork' | 'inconsistent', req: AddCheckpointRequest, s: SignedCheckpoint, c: CosignedCheckpoint) {
    const offered = { size: s.checkpoint.size, root: s.checkpoint.root, note: s.note, oldSize: req.oldSize };
    await this.#c.evidence.record(kind, c, { ...offered, proof: req.proof }, Math.floor(this.#c.now() / 1000));
  }
}

/** A TlogError from opening or parsing as the witness's refusal: a bad signature is 403, anything else 400. */
function fromTlog(err: unknown, what: string): WitnessError {
  if (!(err instanceof TlogError)) throw err;
  if (err.code === 'bad_signature' || err.code === 'unknown_key') {
    return new WitnessError('bad_signature', `${what}: no signature of the log verifies`);
  }
  return new WitnessError('malformed', `${what}: ${err.message}`);
}
