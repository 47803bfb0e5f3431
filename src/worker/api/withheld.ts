/**
 * Envelopes whose content stays in the worker: the replies that carry a share or a released secret. The generic
 * `protocol.openEnvelope` verifies them but gives the page no content; only the worker step that needs the content
 * opens it, checks it and returns what the person is shown (M-Pin: the login's verdict; Bitcoin: the address and,
 * when asked, the key; safeguard: the released secret). A plugin whose reply carries a share adds its type here.
 * @module
 */

const WITHHELD_TYPES: ReadonlySet<string> = new Set([
  'mpin/order-reply', // a client-secret, time-permit or server-secret share from an issuing node
  'bitcoin/redeem-reply', // the node's share f of the key k = f + b (with f, a page could learn b from k)
  'safeguard/redeem-reply', // the released secret: opened and checked in the worker (safeguard.ts)
  'custody/redeem-reply', // one node's share of a custody secret
]);

/** True when an envelope of `type` is opened only by the worker's own steps, never for the page. */
export function isWithheld(type: string): boolean {
  return WITHHELD_TYPES.has(type);
}

/** A request the worker refuses because it would hand a secret (or a way to compute one) to the page. */
export class SecretBoundaryError extends Error {
  override name = 'SecretBoundaryError';
}
