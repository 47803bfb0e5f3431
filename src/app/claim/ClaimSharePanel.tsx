/**
 * On an order released to whoever signs in at a provider (an `oidc` condition): the link to send that person.
 * It opens the claim page (ClaimPage) with the order's nodes, the order each holds and, for a custody group, the
 * group; the person needs no dta key, only the account the order names. Nothing in the link is secret.
 * @module
 */
import { type Component, createResource, Show, Suspense } from 'solid-js';
import { custodySummaryOf } from '../custody/summary.ts';
import type { OrderRecord } from '../orders/model.ts';
import { QrCode } from '../qr/index.ts';
import { CopyText } from '../ui/index.ts';
import { type Claim, type ClaimHolder, claimLink } from './claim-link.ts';
import { trustedIssuer } from './issuers.ts';

/** The nodes holding `o` (each share of a custody group, or the order's one node) and the order there. */
function holdersOf(o: OrderRecord): ClaimHolder[] {
  const group = custodySummaryOf(o);
  if (group) return group.members.map((m) => ({ url: m.url, identity: m.identity, order: m.order }));
  return [{ url: o.node, identity: o.nodeIdentity, order: o.id }];
}

/** The claim of an order with an `oidc` condition; undefined for any other order. */
export function claimOfOrder(o: OrderRecord): Claim | undefined {
  const issuer = o.release?.conditions.oidc?.issuer;
  if (!issuer || (o.plugin !== 'safeguard' && o.plugin !== 'custody')) return undefined;
  const group = custodySummaryOf(o)?.group;
  return { kind: o.plugin, issuer, holders: holdersOf(o), ...(group ? { group } : {}) };
}

export const ClaimSharePanel: Component<{ readonly claim: Claim }> = (props) => {
  const link = () => claimLink(props.claim);
  const nodes = () => props.claim.holders.map((h) => h.url);
  const [provider] = createResource(() => trustedIssuer(nodes(), props.claim.issuer).catch(() => undefined));
  const name = () => (provider.state === 'ready' ? provider()?.name : undefined) ?? props.claim.issuer;
  return (
    <div class="stack" data-testid="claim-share">
      <p>
        Send this link to the person who signs in with {name()}: it opens the app, where they sign in and the nodes
        release the secret to them alone. They need no dta identity. Nothing in the link is secret.
      </p>
      <dl class="facts">
        <dt>Link for someone who signs in with {name()}</dt>
        <dd data-testid="claim-link">
          <CopyText value={link()} label="link to receive this secret by signing in" />
        </dd>
      </dl>
      <Show when={link().length < 2000}>
        <Suspense>
          <QrCode value={link()} label="link to receive this secret by signing in" testid="claim-qr" />
        </Suspense>
      </Show>
    </div>
  );
};
