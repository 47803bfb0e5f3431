/**
 * The public summary of a node's order reply, per plugin, as the app
 * stores and lists it (never a secret: no share, no secret bytes). Replies
 * are checked field by field; the bitcoin reply is fully verified by the
 * bitcoin flow before it is summarised.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { CID } from 'multiformats/cid';
import type { OrderReply } from '../../plugins/bitcoin/schema.ts';
import { equalBytes, toHex, utf8 } from '../../core/bytes.ts';
import { ReplyError } from '../api/errors.ts';
import type { BitcoinSummary, MpinSummary, SafeguardSummary } from './model.ts';

type Obj = Record<string, unknown>;

function map(v: unknown, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array || CID.asCID(v)) {
    throw new ReplyError(`${what}: expected a map`);
  }
  return v as Obj;
}

/** SHA-256("dta/safeguard/v1 commitment\0" || order id || secret): what the safeguard node commits to. */
export function safeguardCommitment(order: string, secret: Uint8Array): Uint8Array {
  const prefix = utf8('dta/safeguard/v1 commitment\0');
  const id = utf8(order);
  const msg = new Uint8Array(prefix.length + id.length + secret.length);
  msg.set(prefix, 0);
  msg.set(id, prefix.length);
  msg.set(secret, prefix.length + id.length);
  const digest = sha256(msg);
  msg.fill(0);
  return digest;
}

/** The safeguard order reply `{order, beneficiary, size, generated, commitment [, label]}`, checked against the order. */
export function safeguardSummary(content: unknown, expected: { order: string; beneficiary: string }): SafeguardSummary {
  const m = map(content, 'safeguard reply');
  if (m.order !== expected.order) throw new ReplyError('safeguard reply: names another order');
  const beneficiary = CID.asCID(m.beneficiary);
  if (!beneficiary || beneficiary.toString() !== expected.beneficiary) throw new ReplyError('safeguard reply: names another beneficiary');
  if (typeof m.size !== 'number' || !Number.isInteger(m.size) || m.size < 1) throw new ReplyError('safeguard reply: size');
  if (typeof m.generated !== 'boolean') throw new ReplyError('safeguard reply: generated');
  if (!(m.commitment instanceof Uint8Array) || m.commitment.length !== 32) throw new ReplyError('safeguard reply: commitment');
  if (m.label !== undefined && typeof m.label !== 'string') throw new ReplyError('safeguard reply: label');
  return {
    kind: 'safeguard', size: m.size, generated: m.generated, commitment: toHex(m.commitment),
    ...(typeof m.label === 'string' ? { label: m.label } : {}),
  };
}

/** The secret of a safeguard redemption reply `{order, secret, commitment}`, checked against its commitment. */
export function safeguardSecret(content: unknown, order: string, committed?: string): Uint8Array {
  const m = map(content, 'safeguard redemption');
  if (m.order !== order) throw new ReplyError('safeguard redemption: names another order');
  if (!(m.secret instanceof Uint8Array) || m.secret.length < 1) throw new ReplyError('safeguard redemption: secret');
  if (!(m.commitment instanceof Uint8Array)) throw new ReplyError('safeguard redemption: commitment');
  if (!equalBytes(safeguardCommitment(order, m.secret), m.commitment)) {
    throw new ReplyError('safeguard redemption: the secret does not match the commitment the node signed');
  }
  if (committed !== undefined && toHex(m.commitment) !== committed) {
    throw new ReplyError('safeguard redemption: the secret is not the one committed to when the order was made');
  }
  return m.secret;
}

export function bitcoinSummary(r: OrderReply): BitcoinSummary {
  return {
    kind: 'bitcoin', network: r.network, addressType: r.addressType, address: r.address,
    addresses: { p2wpkh: r.addresses.p2wpkh, p2tr: r.addresses.p2tr },
    fiduciaryPublicKey: toHex(r.fiduciaryPublicKey), beneficiaryPublicKey: toHex(r.beneficiaryPublicKey),
    publicKey: toHex(r.publicKey), commitment: toHex(r.commitment),
  };
}

export function mpinSummary(asked: { issue: string; date?: number }): MpinSummary {
  return { kind: 'mpin', issue: asked.issue, ...(asked.date !== undefined ? { date: asked.date } : {}) };
}
