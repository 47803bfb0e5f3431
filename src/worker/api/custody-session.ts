/**
 * A node session whose redemption can be asked again: custody retrieval redeems every node's order, and a
 * beneficiary who retrieves a second time (the secret was hidden, or some nodes were down the first time)
 * finds some orders redeemed already. Their redemption reply is on the order's chain, sealed to the
 * beneficiary: it is read from there and checked like a fresh one (signed by the node, answering the redeem
 * request before it) instead of posting a redemption the node must refuse.
 * @module
 */
import { CID } from 'multiformats/cid';
import { ReplyError } from '../../core/api/errors.ts';
import type { CallOptions } from '../../core/api/node-api.ts';
import { NodeSession, type StepResult } from '../../core/api/session.ts';
import { fromBase64 } from '../../core/bytes.ts';

export class RedeemAgainSession extends NodeSession {
  override async redeem(plugin: string, order: string, content: unknown = {}, options?: CallOptions) {
    const view = await this.api.order(order, options);
    if (view.order.status !== 'redeemed') return super.redeem(plugin, order, content, options);
    let at = view.history.length - 1;
    while (at >= 0 && view.history[at]!.type !== `${plugin}/redeem-reply`) at--;
    if (at < 1) throw new ReplyError('the order is redeemed but its chain has no redemption reply');
    const reply = view.history[at]!;
    const asked = view.history[at - 1]!;
    const request = { cid: CID.parse(asked.cid), bytes: fromBase64(asked.envelope, 'history envelope') };
    const step = { order, status: 'redeemed' as const, cid: reply.cid, envelope: reply.envelope, replayed: true };
    const envelope = await this.verifyReply(step, request.cid);
    const opened = await this.openIfAddressed(envelope);
    if (opened === undefined) throw new ReplyError('the order was redeemed, but not by this identity');
    return { request, reply: step, envelope, content: opened } satisfies StepResult;
  }
}
