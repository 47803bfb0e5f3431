/**
 * The link a principal sends to someone who will prove who they are by signing in at an OpenID Connect provider
 * instead of holding a dta key: `#/claim?kind=<plugin>&issuer=<url>[&group=<cid>]` and, for each node holding the
 * order (or a share of it), `&node=<url>&nid=<node identity>&order=<order id>`, repeated in the same order. Nothing
 * in it is secret: the nodes release only to whoever signs in as the order says.
 * @module
 */
import { CID } from 'multiformats/cid';
import { InputError } from '../api/errors.ts';

export type ClaimKind = 'safeguard' | 'custody';

/** A node holding the order, as the link names it: where it answers, the identity it must show, the order id. */
export interface ClaimHolder {
  readonly url: string;
  readonly identity: string;
  readonly order: string;
}

export interface Claim {
  readonly kind: ClaimKind;
  /** The OpenID Connect issuer the order's condition names. */
  readonly issuer: string;
  readonly holders: readonly ClaimHolder[];
  /** Custody: the group's CID (every share is checked against its commitments). */
  readonly group?: string;
}

/** As many nodes as one sign-in can cover (the node's limit on a binding). */
const MAX_HOLDERS = 16;

/** The app path of the claim page for `c`. */
function claimPath(c: Claim): string {
  const q = new URLSearchParams({ kind: c.kind, issuer: c.issuer, ...(c.group ? { group: c.group } : {}) });
  for (const h of c.holders) {
    q.append('node', h.url);
    q.append('nid', h.identity);
    q.append('order', h.order);
  }
  return `/claim?${q.toString()}`;
}

/** The whole link, on this app's own address. */
export function claimLink(c: Claim, base: string = `${location.origin}${location.pathname}`): string {
  return `${base}#${claimPath(c)}`;
}

function httpUrlOf(text: string, what: string): string {
  const u = URL.canParse(text) ? new URL(text) : undefined;
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password || u.hash) {
    throw new InputError('link', `the link's ${what} is not an http(s) address`);
  }
  return text;
}

function cidText(text: string | undefined, what: string): string {
  try {
    return CID.parse(text ?? '').toString();
  } catch {
    throw new InputError('link', `the link's ${what} is not a CID`);
  }
}

function holdersOf(query: URLSearchParams): ClaimHolder[] {
  const urls = query.getAll('node');
  const ids = query.getAll('nid');
  const orders = query.getAll('order');
  if (urls.length === 0) throw new InputError('link', 'the link names no node');
  if (urls.length > MAX_HOLDERS) throw new InputError('link', `the link names more than ${MAX_HOLDERS} nodes`);
  if (ids.length !== urls.length || orders.length !== urls.length) {
    throw new InputError('link', 'the link does not give every node its identity and order');
  }
  return urls.map((url, i) => ({
    url: httpUrlOf(url, 'node').replace(/\/+$/, ''),
    identity: cidText(ids[i], 'node identity'),
    order: cidText(orders[i], 'order id'),
  }));
}

/** The claim a link's query names; InputError saying what is missing or wrong. */
export function claimOf(query: URLSearchParams): Claim {
  const kind = query.get('kind');
  if (kind !== 'safeguard' && kind !== 'custody') throw new InputError('link', 'the link names no kind of order');
  const issuer = httpUrlOf(query.get('issuer') ?? '', 'provider');
  const holders = holdersOf(query);
  if (kind === 'safeguard' && holders.length !== 1) throw new InputError('link', 'a safeguarded order has one node');
  const group = kind === 'custody' ? cidText(query.get('group') ?? undefined, 'group') : undefined;
  return { kind, issuer, holders, ...(group ? { group } : {}) };
}
