/**
 * A node's witnessing, put together from its config: the witness of the
 * logs listed in `witnessing` (their note verifier keys; the key's name is
 * the log's origin), cosigning with the node's own log key under
 * cosignature/v1 with the node's log origin as its name, its durable state
 * and evidence under `<home>/witness/`, and the gatherer that takes the
 * node's own checkpoints to the peers listed in `witnesses`.
 * @module
 */
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import type { BlsSigner } from '../../core/protocol/types.ts';
import { cosignatureVerifierKey, cosigner } from '../../core/tlog/cosignature.ts';
import { type NoteVerifier, parseVerifierKey } from '../../core/tlog/note.ts';
import { ConfigError } from '../config.ts';
import { EvidenceStore } from './evidence.ts';
import { CosignatureGatherer, type GatheredLog, type WitnessPeer } from './gatherer.ts';
import { witnessKeyOf } from './peer-key.ts';
import { WitnessStateStore } from './state.ts';
import { Witness } from './witness.ts';

export interface WitnessingConfig {
  /** The peers that witness this node's log: base URL and cosignature verifier key or identity CID. */
  readonly witnesses: readonly { readonly url: string; readonly key?: string; readonly identity?: string }[];
  /** Note verifier keys of the logs this node witnesses. */
  readonly witnessing: readonly string[];
  readonly witnessIntervalMs: number;
}

export interface WitnessingOptions {
  readonly dir: string;
  readonly config: WitnessingConfig;
  /** The node's own log, whose checkpoints the gatherer takes to the witnesses. */
  readonly log: GatheredLog;
  /** The log's origin and Ed25519 keys: the witness cosigns with them too (src/node/log/binding.ts, LogKeys). */
  readonly keys: { readonly origin: string; readonly publicKey: Uint8Array; readonly secretKey: Uint8Array };
  readonly logger: { warn(obj: object, msg: string): void };
  readonly now: () => number;
  /** Verifies the identity documents of witnesses configured by identity. */
  readonly bls: BlsSigner;
}

export interface Witnessing {
  readonly witness: Witness;
  readonly evidence: EvidenceStore;
  /** This witness's name (the node's log origin) and its cosignature verifier key. */
  readonly name: string;
  readonly key: string;
  close(): Promise<void>;
}

export async function openWitnessing(o: WitnessingOptions): Promise<Witnessing> {
  const logs = witnessedLogs(o.config.witnessing, o.keys.origin);
  const peers = witnessPeers(o.config.witnesses, o.bls);
  const signer = cosigner(o.keys.origin, o.keys.secretKey);
  const evidence = await EvidenceStore.open(join(o.dir, 'evidence'));
  const state = await WitnessStateStore.open(join(o.dir, 'logs'));
  const witness = new Witness({ logs, cosigner: signer, state, evidence, now: o.now });
  const gatherer = new CosignatureGatherer({
    log: o.log,
    witnesses: peers,
    intervalMs: o.config.witnessIntervalMs,
    logger: o.logger,
  });
  gatherer.start();
  return {
    witness,
    evidence,
    name: o.keys.origin,
    key: cosignatureVerifierKey(o.keys.origin, o.keys.publicKey),
    async close() {
      await gatherer.stop();
      signer.wipe();
    },
  };
}

/** origin → verifiers, from note verifier keys; the node's own log is not witnessed by itself. */
function witnessedLogs(keys: readonly string[], own: string): Map<string, NoteVerifier[]> {
  const logs = new Map<string, NoteVerifier[]>();
  for (const [i, vkey] of keys.entries()) {
    const verifier = verifierOf(vkey, `witnessing[${i}]`);
    if (verifier.name === own) throw new ConfigError(`witnessing[${i}]: that is this node's own log`);
    logs.set(verifier.name, [...(logs.get(verifier.name) ?? []), verifier]);
  }
  return logs;
}

/** Each witness with its key: given, or read from its identity document once, when first needed. */
function witnessPeers(witnesses: WitnessingConfig['witnesses'], bls: BlsSigner): WitnessPeer[] {
  return witnesses.map((w, i) => {
    if ((w.key === undefined) === (w.identity === undefined)) {
      throw new ConfigError(`config.json: "witnesses[${i}]": give either "key" or "identity"`);
    }
    if (w.key !== undefined) {
      const verifier = verifierOf(w.key, `witnesses[${i}].key`);
      return { url: w.url, key: async () => verifier };
    }
    const identity = cidOf(w.identity!, `witnesses[${i}].identity`);
    let known: Promise<NoteVerifier> | undefined;
    const key = () => {
      known ??= witnessKeyOf(bls, w.url, identity).catch((err: unknown) => {
        known = undefined; // not cached: asked again at the next tick
        throw err;
      });
      return known;
    };
    return { url: w.url, key };
  });
}

function cidOf(text: string, where: string): CID {
  try {
    return CID.parse(text);
  } catch {
    throw new ConfigError(`config.json: "${where}": not a CID`);
  }
}

function verifierOf(vkey: string, where: string): NoteVerifier {
  try {
    return parseVerifierKey(vkey);
  } catch {
    throw new ConfigError(`config.json: "${where}": not a note verifier key (name+hash+base64)`);
  }
}
