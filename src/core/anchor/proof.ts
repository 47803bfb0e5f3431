/**
 * The SPV proof that a dta anchor payload is in the Bitcoin chain, and its verification, which needs no
 * explorer and no full node: only a block the verifier already trusts (networks.ts). The proof is JSON:
 * the transaction, its Merkle branch, its block's header, and every header from the trusted block to it.
 * Specified, with what a verifier checks and what it trusts, in docs/protocol.md#bitcoin-anchors.
 * @module
 */
import { equalBytes, toHex } from '../bytes.ts';
import { type Check, integer, list, struct, text } from '../schema.ts';
import { checkDifficultyBounds } from './difficulty.ts';
import { AnchorError } from './errors.ts';
import { displayHex, fromDisplayHex, hexBytes } from './hash.ts';
import { type BlockHeader, checkHeaderChain, parseHeader } from './header.ts';
import { rootFromBranch } from './merkle.ts';
import { type BitcoinNetwork, type NetworkRules, networkRules, type TrustedBlock } from './networks.ts';
import { type AnchorKind, parseAnchorPayload } from './payload.ts';
import { opReturnPushes, parseTransaction, type Transaction } from './tx.ts';

export interface AnchorProof {
  /** The raw transaction (hex; segwit serialization accepted). */
  readonly txHex: string;
  /** Its position in the block. */
  readonly index: number;
  /** Merkle siblings from the transaction up, display-order hex (as Esplora's merkle-proof gives them). */
  readonly branch: readonly string[];
  /** The block's 80-byte header (hex). */
  readonly header: string;
  /** The block's height. */
  readonly height: number;
  /** Headers (hex) of every block after the trusted checkpoint and before this one, in order. */
  readonly headers: readonly string[];
  /** Optional headers (hex) of blocks after this one: each adds a confirmation. */
  readonly after?: readonly string[];
}

export interface AnchorExpectation {
  readonly kind: AnchorKind;
  readonly hash: Uint8Array;
}

export interface AnchorTrust {
  readonly network: BitcoinNetwork;
  /** The block the header chain starts from; the network's genesis when absent. */
  readonly checkpoint?: TrustedBlock;
}

export interface AnchorVerified {
  readonly height: number;
  /** The block's timestamp (Unix seconds, as its miner wrote it). */
  readonly time: number;
  /** Display-order txid and block id. */
  readonly txid: string;
  readonly blockHash: string;
  /** 1 + the number of `after` headers. */
  readonly confirmations: number;
}

const MAX_HEADERS = 2_000_000;
const HEX_HEADER = text({ minBytes: 160, maxBytes: 160, pattern: /^[0-9a-fA-F]+$/, what: 'an 80-byte header in hex' });
const HEX_HASH = text({ minBytes: 64, maxBytes: 64, pattern: /^[0-9a-fA-F]+$/, what: 'a 32-byte hash in hex' });

const proofShape: Check<AnchorProof> = struct(
  {
    txHex: text({ minBytes: 2, maxBytes: 8_000_000, pattern: /^[0-9a-fA-F]+$/, what: 'a transaction in hex' }),
    index: integer(0, 2 ** 32 - 1),
    branch: list(HEX_HASH, { max: 32 }),
    header: HEX_HEADER,
    height: integer(0, 2 ** 31 - 1),
    headers: list(HEX_HEADER, { max: MAX_HEADERS }),
  },
  { after: list(HEX_HEADER, { max: MAX_HEADERS }) },
);

/** `value` as an AnchorProof, or AnchorError 'malformed' naming the field that is not. */
export function parseAnchorProof(value: unknown): AnchorProof {
  try {
    return proofShape(value, 'anchor proof');
  } catch (e) {
    throw new AnchorError('malformed', e instanceof Error ? e.message : 'anchor proof');
  }
}

const trustedBlockShape: Check<TrustedBlock> = struct(
  { height: integer(0, 2 ** 31 - 1), hash: HEX_HASH },
  { bits: integer(0, 0xffffffff) },
);

function trustedBlock(value: unknown): TrustedBlock {
  try {
    return trustedBlockShape(value, 'trust.checkpoint');
  } catch (e) {
    throw new AnchorError('malformed', e instanceof Error ? e.message : 'trust.checkpoint');
  }
}

/**
 * Verifies that `proof` puts a payload committing to `expected` in a block that descends, by valid proof of
 * work, from the trusted checkpoint. Returns where and when; throws AnchorError naming the first failed check.
 */
export function verifyAnchorProof(proof: unknown, expected: AnchorExpectation, trust: AnchorTrust): AnchorVerified {
  const p = parseAnchorProof(proof);
  const rules = networkRules(trust.network);
  const checkpoint = trust.checkpoint === undefined ? rules.genesis : trustedBlock(trust.checkpoint);
  const header = parseHeader(hexBytes(p.header, 'header', 80));
  checkChain(p, header, checkpoint, rules);
  const tx = parseTransaction(hexBytes(p.txHex, 'transaction'));
  checkBranch(p, tx, header);
  checkPayload(tx, expected);
  return {
    height: p.height,
    time: header.time,
    txid: displayHex(tx.txid),
    blockHash: displayHex(header.hash),
    confirmations: 1 + (p.after?.length ?? 0),
  };
}

/** checkpoint → headers → header → after: linked, each with valid proof of work, at the claimed height. */
function checkChain(p: AnchorProof, header: BlockHeader, checkpoint: TrustedBlock, rules: NetworkRules): void {
  const { powLimit } = rules;
  const start = fromDisplayHex(checkpoint.hash, 'checkpoint hash');
  const after = (p.after ?? []).map((h, i) => parseHeader(hexBytes(h, `after[${i}]`, 80)));
  if (p.height === checkpoint.height) {
    // The anchor is in the trusted block itself: nothing to link but what follows it.
    if (p.headers.length > 0 || !equalBytes(header.hash, start)) {
      throw new AnchorError('bad_chain', `the block at height ${p.height} is not the trusted checkpoint`);
    }
    checkHeaderChain(start, after, powLimit);
    checkDifficultyBounds(after, checkpoint.height + 1, checkpoint.bits ?? header.bits, rules);
    return;
  }
  const needed = p.height - checkpoint.height - 1;
  if (needed < 0 || p.headers.length !== needed) {
    throw new AnchorError(
      'bad_chain',
      `height ${p.height} needs ${Math.max(needed, 0)} headers after the checkpoint at height ${checkpoint.height}, ` +
        `the proof has ${p.headers.length}`,
    );
  }
  const between = p.headers.map((h, i) => parseHeader(hexBytes(h, `headers[${i}]`, 80)));
  const chain = [...between, header, ...after];
  checkHeaderChain(start, chain, powLimit);
  checkDifficultyBounds(chain, checkpoint.height + 1, checkpoint.bits ?? chain[0]!.bits, rules);
}

/** The transaction's txid climbs the branch to the header's Merkle root; 64-byte transactions are refused. */
function checkBranch(p: AnchorProof, tx: Transaction, header: BlockHeader): void {
  // A 64-byte transaction's txid is also the hash of two 32-byte "children": it could pose as an inner node.
  if (tx.strippedSize === 64) throw new AnchorError('bad_branch', 'a 64-byte transaction cannot be proven');
  const branch = p.branch.map((h, i) => fromDisplayHex(h, `branch[${i}]`));
  const root = rootFromBranch(tx.txid, p.index, branch);
  if (!equalBytes(root, header.merkleRoot)) {
    throw new AnchorError('bad_branch', `the branch leads to ${toHex(root)}, not to the header's Merkle root`);
  }
}

/** An OP_RETURN of the transaction pushes exactly "dta" ‖ kind ‖ hash as expected. */
function checkPayload(tx: Transaction, expected: AnchorExpectation): void {
  const payloads = opReturnPushes(tx)
    .filter((pushes) => pushes?.length === 1)
    .map((pushes) => parseAnchorPayload(pushes![0]!))
    .filter((x) => x !== undefined);
  if (payloads.length === 0) throw new AnchorError('no_payload', 'the transaction has no dta anchor payload');
  const match = payloads.some((x) => x.kind === expected.kind && equalBytes(x.hash, expected.hash));
  if (!match) {
    throw new AnchorError('wrong_payload', `the transaction anchors ${payloads.length} other payload(s), not this one`);
  }
}
