/**
 * The providers a node trusts (`GET /v1/oidc/issuers`): for each, the issuer, the app's client id there and the
 * name people know it by ("Sign in with <name>"). The claim page asks the order's nodes for the issuer its link
 * names; the first node that trusts it gives the client id.
 * @module
 */
import { globalFetch, request } from '../../core/api/http.ts';
import { httpUrl, list, struct, text } from '../../core/schema.ts';
import { NotReadyError } from '../api/errors.ts';

/** A provider a node trusts, as it tells the app. */
export interface TrustedIssuer {
  readonly issuer: string;
  readonly clientId: string;
  readonly name: string;
}

const issuerSchema = struct({
  issuer: httpUrl(),
  clientId: text({ minBytes: 1, maxBytes: 256 }),
  name: text({ minBytes: 1, maxBytes: 128 }),
});
const issuersSchema = list(issuerSchema, { max: 64 });

/** The providers the node at `url` trusts (the fields this page uses; a newer node may say more). */
async function issuersAt(url: string): Promise<readonly TrustedIssuer[]> {
  const body = (await request(globalFetch, `${url}/v1/oidc/issuers`, { timeoutMs: 10_000 })) as {
    issuers?: unknown;
  };
  const items = Array.isArray(body?.issuers) ? body.issuers : undefined;
  const picked = items?.map((i: Record<string, unknown>) => ({
    issuer: i?.issuer,
    clientId: i?.clientId,
    name: i?.name,
  }));
  return issuersSchema(picked, 'oidc issuers');
}

/** `issuer` as the first of `nodes` that trusts it describes it; NotReadyError when none answers for it. */
export async function trustedIssuer(nodes: readonly string[], issuer: string): Promise<TrustedIssuer> {
  let reason: unknown;
  for (const url of nodes) {
    try {
      const found = (await issuersAt(url)).find((i) => i.issuer === issuer);
      if (found) return found;
    } catch (e) {
      reason ??= e;
    }
  }
  if (reason) throw reason;
  throw new NotReadyError(`none of the order's nodes trusts the provider ${issuer}`);
}

/**
 * The providers every one of `nodes` trusts (an order with an `oidc` condition is refused by a node that does not
 * trust its issuer), as the first node names them; none when a node cannot be asked.
 */
export async function providersTrustedBy(nodes: readonly string[]): Promise<readonly TrustedIssuer[]> {
  if (nodes.length === 0) return [];
  const lists = await Promise.all(nodes.map((url) => issuersAt(url).catch(() => [] as readonly TrustedIssuer[])));
  const [first = [], ...rest] = lists;
  return first.filter((i) => rest.every((l) => l.some((o) => o.issuer === i.issuer)));
}
