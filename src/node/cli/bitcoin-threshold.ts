/**
 * `dta retrieve --plugin bitcoin --threshold`: the beneficiary's side of a threshold Bitcoin order
 * (docs/protocol.md, "Threshold mode: f from a DKG"). It redeems the order at every listed node in parallel,
 * reads each node's order reply from the order's history (sealed to the beneficiary too), holds them to one
 * session, one F and one address, recovers f from any t verified shares (recoverThresholdKey), adds b and
 * writes the key of the committed address as WIF to --out (mode 0600; never to the terminal).
 *
 *   dta retrieve --plugin bitcoin --threshold --url <url,url,…> --order <id,id,…>
 *                --secret-file <b, hex> --out <file>
 * @module
 */
import { NodeApi } from '../../core/api/node-api.ts';
import { type NodeSession, openSession } from '../../core/api/session.ts';
import { fromHex, wipe } from '../../core/bytes.ts';
import { createCore } from '../../core/index.ts';
import { BitcoinError } from '../../plugins/bitcoin/errors.ts';
import type { OrderReply } from '../../plugins/bitcoin/schema.ts';
import { parseOrderReply } from '../../plugins/bitcoin/schema.ts';
import { recoverThresholdKey, type ThresholdRedemption } from '../../plugins/bitcoin/threshold.ts';
import { reasonOf } from '../../plugins/custody/order.ts';
import { writeDurable } from '../fsutil.ts';
import { need, readSecret, unlockHome, type Values } from './input.ts';
import { UsageError } from './main.ts';

const DEFAULT_RETRIES = 3;

const listOf = (v: Values, key: string): string[] =>
  need(v, key)
    .split(',')
    .filter((s) => s !== '');

/** The order reply a node committed to `order`, read from its history and opened (sealed to us too). */
async function orderReplyAt(s: NodeSession, order: string): Promise<OrderReply> {
  const view = await s.api.order(order);
  const step = view.history[1];
  if (!step) throw new BitcoinError('not_found', 'the order has no reply');
  const status = view.order.status === 'redeemed' ? 'redeemed' : 'open';
  const reply = { order, status, cid: step.cid, envelope: step.envelope, replayed: true } as const;
  return parseOrderReply(await s.openReply(reply));
}

/** Redeems at one node: its order reply and its redemption. */
async function askOne(s: NodeSession, order: string) {
  const reply = await orderReplyAt(s, order);
  if (reply.dkg === undefined || reply.index === undefined) throw new UsageError(`${order}: not a threshold order`);
  const redeemed = await s.redeem('bitcoin', order);
  return { reply, redemption: { node: s.node.cid.toString(), index: reply.index, content: redeemed.content } };
}

/** The replies must agree on the session, F and the address: they are one threshold key. */
function agreed(replies: readonly OrderReply[]): OrderReply {
  const first = replies[0];
  if (!first) throw new BitcoinError('mismatch', 'no node answered');
  const same = (r: OrderReply) => r.dkg?.equals(first.dkg!) && r.address === first.address;
  if (!replies.every(same)) throw new BitcoinError('mismatch', 'the nodes answer different sessions or addresses');
  return first;
}

async function beneficiarySecret(path: string): Promise<Uint8Array> {
  const raw = await readSecret(path);
  try {
    return fromHex(new TextDecoder().decode(raw).trim(), '--secret-file');
  } finally {
    wipe(raw);
  }
}

export async function thresholdRetrieve(v: Values): Promise<number> {
  const urls = listOf(v, 'url');
  const orders = listOf(v, 'order');
  if (urls.length !== orders.length) throw new UsageError('--url and --order: one order id per node, in order');
  const out = need(v, 'out');
  const b = await beneficiarySecret(need(v, 'secret-file'));
  const core = await createCore();
  const { me } = await unlockHome(v, core);
  const answers = await Promise.allSettled(
    urls.map(async (url, i) =>
      askOne(await openSession(new NodeApi(url), core.bls, me, { retries: DEFAULT_RETRIES }), orders[i]!),
    ),
  );
  const failed = answers.flatMap((a, i) =>
    a.status === 'rejected' ? [{ url: urls[i]!, reason: reasonOf(a.reason) }] : [],
  );
  const good = answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
  try {
    const order = agreed(good.map((g) => g.reply));
    const redemptions: ThresholdRedemption[] = good.map((g) => g.redemption);
    const { key, wrong, usedIndices } = recoverThresholdKey(order, redemptions, b);
    await writeDurable(out, `${key.wif}\n`, 0o600);
    const report = { address: key.address, network: key.network, addressType: key.addressType, usedIndices };
    console.log(JSON.stringify({ ...report, wrong, failed, written: out }, null, 2));
    wipe(key.privateKey);
    return 0;
  } finally {
    wipe(b);
  }
}
