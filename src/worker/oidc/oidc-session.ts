/**
 * A node session of a redeemer proven by OpenID Connect: every redemption it makes carries the proof (the ID
 * token and the binding, as the node's redeem content `oidc`) next to the plugin's own content, and a refusal by
 * the node is kept, code and message, for the page to say in plain words (error codes do not cross the worker
 * boundary). A redemption already made by this redeemer (a second try after some node was down) is read back from
 * the order's chain, as for any beneficiary (../api/custody-session.ts).
 * @module
 */
import { NodeApiError } from '../../core/api/errors.ts';
import type { CallOptions } from '../../core/api/node-api.ts';
import { NodeSession, type StepResult } from '../../core/api/session.ts';
import { RedeemAgainSession } from '../api/custody-session.ts';

/** What a node said when it refused: its stable code and its own message (never a token's contents). */
export interface NodeRefusal {
  readonly code: string;
  readonly message: string;
}

export class OidcRedeemSession extends RedeemAgainSession {
  /** The redeem content's `oidc` field (ID token and binding), set before redeeming. */
  proof: Record<string, unknown> = {};
  /** The node's refusal of the last redemption, if it refused. */
  refusal: NodeRefusal | undefined;

  override async redeem(plugin: string, order: string, content: unknown = {}, options?: CallOptions) {
    this.refusal = undefined;
    try {
      const own = typeof content === 'object' && content !== null ? content : {};
      const asked = { ...own, ...this.proof };
      // Read back only a redemption this redeemer made; any other is asked for, so that the node says why not
      // (another account: oidc_wrong_subject; the right one with another key: conflict).
      if (await this.#redeemedByMe(plugin, order, options)) return await super.redeem(plugin, order, asked, options);
      return (await NodeSession.prototype.redeem.call(this, plugin, order, asked, options)) satisfies StepResult;
    } catch (e) {
      if (e instanceof NodeApiError) this.refusal = { code: e.code, message: e.message };
      throw e;
    }
  }

  async #redeemedByMe(plugin: string, order: string, options?: CallOptions): Promise<boolean> {
    const view = await this.api.order(order, options);
    const me = this.me.identity.cid.toString();
    return (
      view.order.status === 'redeemed' && view.history.some((h) => h.type === `${plugin}/redeem` && h.sender === me)
    );
  }
}
