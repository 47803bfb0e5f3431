/**
 * The node's Birth Record anchored on Bitcoin, checked SPV-style in the browser: the record is rebuilt here from
 * the identity CID and the log key this app verified (never taken from the node), and the node's anchor proof
 * must put its SHA-256 in an OP_RETURN of a transaction whose Merkle branch leads to a header that descends, by
 * valid proof of work, from the block this app trusts on the network the person chose. Shown as "anchored in
 * block N on <date>"; no confirmed anchor yet is not a failure.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { birthRecordHash } from '../../core/anchor/birth-record.ts';
import { AnchorError } from '../../core/anchor/errors.ts';
import type { BitcoinNetwork } from '../../core/anchor/networks.ts';
import { ANCHOR_KIND } from '../../core/anchor/payload.ts';
import { type AnchorTrust, verifyAnchorProof } from '../../core/anchor/proof.ts';
import type { LogKey } from '../../core/api/log-proof.ts';
import { toHex } from '../../core/bytes.ts';
import { type AuditCheck, failed, ok, unknown } from './checks.ts';

const KIND = 'anchor';

/** The `birth` part of GET /v1/anchors as served (null when the node has none yet). */
export interface BirthAnchor {
  readonly status: string;
  readonly txid?: string;
  readonly proof?: unknown;
}

const NETWORK_WORDS: Readonly<Record<BitcoinNetwork, string>> = {
  mainnet: 'Bitcoin',
  testnet: 'Bitcoin testnet',
  signet: 'Bitcoin signet',
  regtest: 'a regtest test chain (no real proof of time)',
};

const dateOf = (unixSeconds: number): string =>
  new Date(unixSeconds * 1000).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });

/** `identity`: the node's identity CID; `key`: its log key; `birth`: the node's anchor, or undefined if none. */
export function checkAnchor(
  identity: CID,
  key: LogKey,
  birth: BirthAnchor | undefined,
  trust: AnchorTrust,
): AuditCheck {
  if (!birth) return unknown(KIND, 'Not anchored yet: the node has no Birth Record anchor.');
  if (birth.status !== 'confirmed' || birth.proof === undefined) {
    return unknown(KIND, `Not anchored yet: the anchor transaction is ${birth.status}, not yet in a block.`);
  }
  const expected = birthRecordHash({ identity, origin: key.origin, key: key.publicKey });
  try {
    const v = verifyAnchorProof(birth.proof, { kind: ANCHOR_KIND.birthRecord, hash: expected }, trust);
    const words = NETWORK_WORDS[trust.network];
    return ok(KIND, `Anchored in block ${v.height} on ${dateOf(v.time)}, on ${words}.`, [
      `transaction ${v.txid}`,
      `block ${v.blockHash}, ${v.confirmations} confirmation${v.confirmations > 1 ? 's' : ''} in the proof`,
    ]);
  } catch (e) {
    const message = e instanceof AnchorError ? e.message : 'the proof could not be read';
    const evidence = { proof: birth.proof, expected: toHex(expected), network: trust.network };
    return failed(
      KIND,
      `The Birth Record’s anchor does not hold on ${NETWORK_WORDS[trust.network]}: ${message}.`,
      evidence,
    );
  }
}
