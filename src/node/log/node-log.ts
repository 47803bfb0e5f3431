/**
 * The node's log on disk: `<home>/log/entries.log`, an append-only record file of entry bytes (record-file.ts),
 * and `<home>/log/checkpoint.note`, the latest signed checkpoint, replaced by write-then-rename. Appends are
 * group-committed: every call that arrives while a batch is being written joins the next batch, which costs one
 * write, one fdatasync and one Ed25519 signature whatever its length.
 *
 * A checkpoint is signed only after its entries are on disk, and a checkpoint's text is a function of the entries
 * (origin, size, root: no timestamp; Ed25519 is deterministic), so the log can never sign two different
 * checkpoints of one size: a log reopened after kill -9 re-reads its checkpoint, checks it against the entries, and
 * signs the next one over whatever was written since, which is consistent with every checkpoint it ever handed out.
 * That is also why an append does not wait for the checkpoint file: it is replaced in the background (the newest
 * note only), and one lost to a crash is signed again, byte for byte, from the entries. A note with cosignatures,
 * which the entries cannot give back, is on disk before addCosignatures resolves; so are the cosigned notes of
 * recent sizes (cosigned-notes.ts), since a witness's answer often comes back after the log has moved on.
 * @module
 */
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { CID } from 'multiformats/cid';
import { equalBytes, toHex } from '../../core/bytes.ts';
import { entryCid } from '../../core/protocol/log-entry.ts';
import { type Checkpoint, formatCheckpoint, parseCheckpoint } from '../../core/tlog/checkpoint.ts';
import { consistencyProof, inclusionProof, leafHash, treeHash } from '../../core/tlog/merkle.ts';
import {
  ed25519VerifierKey,
  formatSignatureLines,
  type NoteSignature,
  type NoteSigner,
  openNote,
  parseNote,
  parseVerifierKey,
  signNote,
} from '../../core/tlog/note.ts';
import { failpoint } from '../failpoints.ts';
import { readIfExists, sweepTemps, writeDurable } from '../fsutil.ts';
import { CosignedNotes } from './cosigned-notes.ts';
import { LogError } from './errors.ts';
import { HashStore } from './hash-store.ts';
import { nativeEd25519Signer } from './native-note-signer.ts';
import { RecordFile } from './record-file.ts';
import { readTile } from './tile-serving.ts';
import type { Appended, NodeLog, SignedCheckpoint } from './types.ts';

const ENTRIES = 'entries.log';
/** Least time between two writes of the checkpoint file. */
const WRITE_INTERVAL_MS = 1000;
const CHECKPOINT = 'checkpoint.note';
const COSIGNED = 'cosigned.json';

export interface LogOptions {
  /** The directory of the log (`<home>/log`). */
  readonly dir: string;
  readonly origin: string;
  /** The Ed25519 secret key of the log (32 bytes); the log keeps a reference, the node wipes it on close. */
  readonly secretKey: Uint8Array;
}

interface Waiting {
  readonly entries: readonly Uint8Array[];
  readonly resolve: (a: Appended) => void;
  readonly reject: (e: unknown) => void;
}

/** Opens the log in `options.dir` (creating it), checks it against its signed checkpoint and signs the next one. */
export async function openNodeLog(options: LogOptions): Promise<NodeLog> {
  await sweepTemps(options.dir);
  const { file, records } = await RecordFile.open(join(options.dir, ENTRIES));
  try {
    const log = new FileLog(options, file);
    for (const entry of records) await log.remember(entry);
    await log.resume();
    return log;
  } catch (err) {
    await file.close();
    throw err;
  }
}

class FileLog implements NodeLog {
  readonly origin: string;
  readonly verifierKey: string;
  readonly #dir: string;
  readonly #file: RecordFile;
  readonly #signer: NoteSigner & { wipe(): void };
  readonly #hashes = new HashStore();
  readonly #entries: Uint8Array[] = [];
  readonly #index = new Map<string, number>();
  #latest: SignedCheckpoint | undefined;
  #cosigned: CosignedNotes | undefined;
  #queue: Waiting[] = [];
  #running: Promise<void> | undefined;
  #lock: Promise<unknown> = Promise.resolve();
  #broken: unknown;
  #toWrite: string | undefined;
  #writer: Promise<void> | undefined;
  #closing = false;

  constructor(options: LogOptions, file: RecordFile) {
    this.origin = options.origin;
    this.verifierKey = ed25519VerifierKey(options.origin, ed25519.getPublicKey(options.secretKey));
    this.#dir = options.dir;
    this.#file = file;
    this.#signer = nativeEd25519Signer(options.origin, options.secretKey);
  }

  /** Takes an entry read from disk (or just written) into the tree and the index. */
  async remember(entry: Uint8Array): Promise<void> {
    const index = this.#hashes.size;
    const leaf = await this.#hashes.add(entry);
    this.#entries.push(entry);
    this.#index.set(toHex(leaf), index);
    const cid = entryCid(entry);
    if (cid && !this.#index.has(cid.toString())) this.#index.set(cid.toString(), index);
  }

  /** At open: the stored checkpoint checked against the entries, then a new one over everything on disk. */
  async resume(): Promise<void> {
    const stored = await readIfExists(join(this.#dir, CHECKPOINT));
    if (stored) this.#latest = await this.#checkStored(stored.toString('utf8'));
    if (!this.#latest || this.#latest.checkpoint.size < this.#hashes.size) await this.#signLatest();
    const file = join(this.#dir, COSIGNED);
    this.#cosigned = await CosignedNotes.load(file, await readIfExists(file), (note) => this.#checkStored(note));
  }

  async #checkStored(note: string): Promise<SignedCheckpoint> {
    let checkpoint: Checkpoint;
    try {
      checkpoint = parseCheckpoint(openNote(note, [parseVerifierKey(this.verifierKey)]).text);
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'error';
      throw new LogError('log_corrupt', `the stored checkpoint is not one the log key signed (${code})`);
    }
    if (checkpoint.origin !== this.origin)
      throw new LogError('log_corrupt', 'the stored checkpoint names another origin');
    if (checkpoint.size > this.#hashes.size) {
      throw new LogError(
        'log_corrupt',
        `the log holds ${this.#hashes.size} entries, its checkpoint ${checkpoint.size}`,
      );
    }
    if (!equalBytes(await treeHash(checkpoint.size, this.#hashes.read), checkpoint.root)) {
      throw new LogError('log_corrupt', 'the entries do not hash to the root of the stored checkpoint');
    }
    return { checkpoint, note };
  }

  /** Signs the checkpoint of the current size; its file is replaced in the background (see the module's note). */
  async #signLatest(): Promise<void> {
    this.#latest = await this.#signedAt(this.#hashes.size);
    // A failed write is retried by the next one, or signed again at open.
    this.#persist(this.#latest.note).catch(() => undefined);
  }

  /** The checkpoint of `size` signed by the log key: the very note signed at that size (see the module's note). */
  async #signedAt(size: number): Promise<SignedCheckpoint> {
    const checkpoint: Checkpoint = {
      origin: this.origin,
      size,
      root: await treeHash(size, this.#hashes.read),
      extensions: [],
    };
    return { checkpoint, note: signNote(formatCheckpoint(checkpoint), [this.#signer]) };
  }

  /**
   * Replaces the checkpoint file with `note` (write-then-rename, fsync); writes run one at a time and a note queued
   * behind another replaces it, so the file only ever moves forward. Resolves once `note` or a newer one is on disk.
   */
  #persist(note: string): Promise<void> {
    this.#toWrite = note;
    this.#writer ??= (async () => {
      try {
        while (this.#toWrite !== undefined) {
          const next = this.#toWrite;
          this.#toWrite = undefined;
          await writeDurable(join(this.#dir, CHECKPOINT), next, 0o644);
          // At most one file write a second: its fsyncs would otherwise queue behind (and ahead of) appends'.
          if (this.#toWrite !== undefined && !this.#closing) await new Promise((r) => setTimeout(r, WRITE_INTERVAL_MS));
        }
      } finally {
        this.#writer = undefined;
      }
    })();
    return this.#writer;
  }

  append(entries: readonly Uint8Array[]): Promise<Appended> {
    if (this.#broken) return Promise.reject(unavailable());
    return new Promise((resolve, reject) => {
      this.#queue.push({ entries, resolve, reject });
      this.#kick();
    });
  }

  #kick(): void {
    if (this.#running || this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    this.#running = this.#exclusive(() => this.#commit(batch)).finally(() => {
      this.#running = undefined;
      this.#kick();
    });
  }

  /** One batch: new entries written and fsynced, a checkpoint signed over them, every caller answered. */
  async #commit(batch: readonly Waiting[]): Promise<void> {
    try {
      if (this.#broken) throw unavailable();
      const fresh = this.#newEntries(batch.flatMap((w) => w.entries));
      if (fresh.length > 0) {
        await this.#write(fresh);
        failpoint('log:after-write');
      }
      if (this.#latest!.checkpoint.size < this.#hashes.size) await this.#signLatest();
      const size = this.#latest!.checkpoint.size;
      for (const w of batch) {
        const indices = w.entries.map((e) => this.#indexOfEntry(e));
        w.resolve({ first: indices[0] ?? size, size, indices });
      }
    } catch (err) {
      this.#broken ??= err;
      for (const w of batch) w.reject(unavailable());
    }
  }

  /** The entries not in the log yet, each once. */
  #newEntries(entries: readonly Uint8Array[]): Uint8Array[] {
    const seen = new Set<string>();
    return entries.filter((e) => {
      const key = entryKey(e);
      if (seen.has(key) || this.#index.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  async #write(entries: readonly Uint8Array[]): Promise<void> {
    await this.#file.append(entries);
    for (const e of entries) await this.remember(e);
  }

  #indexOfEntry(entry: Uint8Array): number {
    const index = this.#index.get(entryKey(entry));
    if (index === undefined) throw new Error('log: an appended entry is not indexed');
    return index;
  }

  async latest(): Promise<SignedCheckpoint> {
    return this.#latest!;
  }

  async inclusionProof(index: number, size: number): Promise<Uint8Array[]> {
    this.#assertSigned(size);
    return inclusionProof(index, size, this.#hashes.read);
  }

  async consistencyProof(size1: number, size2: number): Promise<Uint8Array[]> {
    this.#assertSigned(size2);
    return consistencyProof(size1, size2, this.#hashes.read);
  }

  #assertSigned(size: number): void {
    if (size > this.#latest!.checkpoint.size) {
      throw new LogError('out_of_range', `size ${size} is beyond the latest checkpoint`);
    }
  }

  async tile(path: string): Promise<Uint8Array | undefined> {
    return readTile(path, this.#latest!.checkpoint.size, this.#hashes.read, this.#entries);
  }

  async indexOf(key: Uint8Array | CID | string): Promise<number | undefined> {
    if (key instanceof Uint8Array) return this.#index.get(toHex(key));
    return this.#index.get(typeof key === 'string' ? key : CID.asCID(key)!.toString());
  }

  async cosigned(): Promise<SignedCheckpoint | undefined> {
    return this.#cosigned!.newest();
  }

  async addCosignatures(size: number, sigs: readonly NoteSignature[]): Promise<boolean> {
    if (sigs.length === 0) return false;
    // The notes change under the lock; the files are written after it, so that appends never wait for them.
    const writes = await this.#exclusive(async () => {
      const latest = this.#latest!;
      if (size > latest.checkpoint.size || !this.#cosigned!.wants(size)) return undefined;
      const base = size === latest.checkpoint.size ? latest : await this.#signedAt(size);
      const kept = this.#cosigned!.get(size);
      const note = withCosignatures(base.note, [...(kept ? parseNote(kept.note).signatures : []), ...sigs]);
      const signed = { checkpoint: base.checkpoint, note };
      if (size !== latest.checkpoint.size) return [this.#cosigned!.put(signed)];
      this.#latest = signed;
      return [this.#cosigned!.put(signed), this.#persist(note)];
    });
    if (!writes) return false;
    await Promise.all(writes);
    return true;
  }

  /** Runs `fn` alone: batches and cosignature updates never interleave their checkpoint writes. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn, fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.#running?.catch(() => undefined);
    await this.#lock;
    this.#closing = true;
    await this.#writer?.catch(() => undefined);
    await this.#cosigned?.flush();
    this.#broken ??= new LogError('log_unavailable', 'the log is closed');
    await this.#file.close();
    this.#signer.wipe();
  }
}

/**
 * `note` with the cosignatures `sigs`, one line per key: a witness that cosigned this size again (after a restart)
 * replaces its line with the newer one, so the note never grows past one line per witness.
 */
export function withCosignatures(note: string, sigs: readonly NoteSignature[]): string {
  const { text, signatures } = parseNote(note);
  const byKey = new Map(signatures.map((s) => [`${s.name}+${s.keyId}`, s]));
  for (const s of sigs) byKey.set(`${s.name}+${s.keyId}`, s);
  return `${text}\n${formatSignatureLines([...byKey.values()])}`;
}

/** The index key of an entry: the hex of its leaf hash (computed again: cheap next to the write). */
const entryKey = (entry: Uint8Array): string => toHex(leafHash(entry));

const unavailable = () => new LogError('log_unavailable', 'the log could not be written; the node must be restarted');
