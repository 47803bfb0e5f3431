/**
 * Unit tests of the safeguard plugin's shared half: the commitment (against
 * node:crypto's SHA-256 of the documented message), the strict parsers of
 * requests with the bad inputs each must refuse ('malformed', naming the
 * field), and the client's checks of the order and redemption replies.
 */
import { createHash } from 'node:crypto';
import * as dagCbor from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { describe, expect, it } from 'vitest';
import { commitmentOf } from '../../src/plugins/safeguard/commitment.ts';
import { SafeguardError } from '../../src/plugins/safeguard/errors.ts';
import { verifyOrderReply, verifyRedeemReply } from '../../src/plugins/safeguard/reply.ts';
import {
  MAX_GENERATE,
  MAX_LABEL,
  MAX_SECRET_BYTES,
  MIN_GENERATE,
  parseOrderRequest,
  parseRedeemRequest,
} from '../../src/plugins/safeguard/schema.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const cidOf = async (text: string) => CID.createV1(dagCbor.code, await sha256.digest(enc(text)));

function refusal(f: () => unknown): { code: string; status: number; message: string } | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof SafeguardError) return { code: e.code, status: e.status, message: e.message };
    throw e;
  }
  return undefined;
}

describe('safeguard commitment', () => {
  it('is SHA-256("dta/safeguard/v1 commitment\\0" || order || secret)', () => {
    const order = 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';
    const secret = enc('the vault code is 4711');
    const expected = createHash('sha256').update('dta/safeguard/v1 commitment\0').update(order).update(secret).digest();
    expect(Buffer.from(commitmentOf(order, secret))).toEqual(expected);
    expect(commitmentOf(order, secret)).toHaveLength(32);
    expect(commitmentOf(`${order}x`, secret)).not.toEqual(commitmentOf(order, secret));
  });
});

describe('safeguard requests', () => {
  it('accepts a deposit or a draw, with an optional label', async () => {
    const beneficiary = await cidOf('bob');
    expect(parseOrderRequest({ beneficiary, secret: enc('s'), label: 'ä'.repeat(MAX_LABEL) })).toEqual({
      beneficiary,
      secret: enc('s'),
      label: 'ä'.repeat(MAX_LABEL),
    });
    expect(parseOrderRequest({ beneficiary, generate: MIN_GENERATE })).toEqual({ beneficiary, generate: MIN_GENERATE });
    const largest = parseOrderRequest({ beneficiary, secret: new Uint8Array(MAX_SECRET_BYTES) });
    expect(largest.secret).toHaveLength(MAX_SECRET_BYTES);
    expect(() => parseRedeemRequest({})).not.toThrow();
  });

  it('refuses anything else as malformed (400), naming the field', async () => {
    const beneficiary = await cidOf('bob');
    const bad: Array<[unknown, RegExp]> = [
      [null, /expected a map/],
      [beneficiary, /expected a map/],
      [{ beneficiary, secret: enc('s'), extra: 1 }, /unknown field "extra"/],
      [{ secret: enc('s') }, /missing field "beneficiary"/],
      [{ beneficiary: 'bafy…', secret: enc('s') }, /beneficiary/],
      [{ beneficiary }, /exactly one of "secret" and "generate"/],
      [{ beneficiary, secret: enc('s'), generate: 32 }, /exactly one of/],
      [{ beneficiary, secret: new Uint8Array(0) }, /secret/],
      [{ beneficiary, secret: new Uint8Array(MAX_SECRET_BYTES + 1) }, /secret/],
      [{ beneficiary, generate: MAX_GENERATE + 1 }, /generate/],
      [{ beneficiary, generate: 16.5 }, /generate/],
      [{ beneficiary, generate: 32, label: 'x'.repeat(MAX_LABEL + 1) }, /label/],
      [{ beneficiary, generate: 32, label: 7 }, /label/],
    ];
    for (const [content, message] of bad) {
      expect(refusal(() => parseOrderRequest(content))).toMatchObject({ code: 'malformed', status: 400, message });
    }
    expect(refusal(() => parseRedeemRequest({ order: 'x' }))).toMatchObject({ code: 'malformed', status: 400 });
  });
});

describe('safeguard replies, as the principal and the beneficiary check them', () => {
  it('an order reply must name the order and beneficiary, and commit to the secret sent', async () => {
    const order = (await cidOf('order')).toString();
    const beneficiary = await cidOf('bob');
    const secret = enc('s3cret');
    const commitment = commitmentOf(order, secret);
    const reply = { order, beneficiary, size: secret.length, generated: false, commitment };
    const expected = { order, beneficiary: beneficiary.toString(), secret };
    expect(verifyOrderReply(reply, expected)).toEqual(reply);
    const labelled = verifyOrderReply({ ...reply, label: 'vault' }, { order, beneficiary: beneficiary.toString() });
    expect(labelled.label).toBe('vault');
    const mismatches: Array<[unknown, RegExp]> = [
      [{ ...reply, order: (await cidOf('other')).toString() }, /another order/],
      [{ ...reply, beneficiary: await cidOf('eve') }, /another beneficiary/],
      [{ ...reply, size: 7 }, /size/],
      [{ ...reply, commitment: commitmentOf(order, enc('other')) }, /another secret/],
    ];
    for (const [content, message] of mismatches) {
      expect(refusal(() => verifyOrderReply(content, expected))).toMatchObject({ code: 'mismatch', message });
    }
    const short = { ...reply, commitment: new Uint8Array(31) };
    expect(refusal(() => verifyOrderReply(short, expected))).toMatchObject({ code: 'malformed' });
  });

  it('a redemption reply must hold the secret committed to, for this order', async () => {
    const order = (await cidOf('order')).toString();
    const secret = enc('s3cret');
    const commitment = commitmentOf(order, secret);
    expect(verifyRedeemReply({ order, secret, commitment }, order, commitment)).toEqual(secret);
    expect(verifyRedeemReply({ order, secret, commitment }, order)).toEqual(secret);
    const other = enc('other');
    const mismatches: Array<[unknown, Uint8Array | undefined, RegExp]> = [
      [{ order: 'x', secret, commitment }, commitment, /another order/],
      [{ order, secret: other, commitment }, commitment, /does not match the commitment/],
      [{ order, secret: other, commitment: commitmentOf(order, other) }, commitment, /not the one committed to/],
    ];
    for (const [content, committed, message] of mismatches) {
      expect(refusal(() => verifyRedeemReply(content, order, committed))).toMatchObject({ code: 'mismatch', message });
    }
  });
});
