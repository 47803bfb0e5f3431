/**
 * A redemption by someone who holds no dta key and proves who they are by signing in at an OpenID Connect
 * provider (docs/protocol.md, "OpenID Connect beneficiaries"). The worker makes a fresh redeemer identity for it,
 * registers it at every node holding the order, and keeps it, sealed under a device key of its own, while the page
 * goes to the provider and back (../oidc/pending-store.ts): its keys never leave the worker. The nonce the page
 * sends to the provider binds that redeemer and every node and order of the redemption. Back with the ID token,
 * the worker redeems at each node as that redeemer; each release is sealed to it and opened here; the page gets
 * the secret (custody: recovered from t checked shares; safeguard: checked against the node's commitment) and
 * each node's answer, with the code of a refusal. The pending redemption is deleted once the secret is out, or on
 * cancel; a failed try keeps it, so a second try (some node was down) reads back what the first one got.
 * @module
 */
import * as Comlink from 'comlink';
import { CID } from 'multiformats/cid';
import { NodeApi } from '../../core/api/node-api.ts';
import { nodeIdentity } from '../../core/api/session.ts';
import { keySigner, type Signer } from '../../core/api/signer.ts';
import { wipe } from '../../core/bytes.ts';
import { cidOf } from '../../core/protocol/cbor.ts';
import { createIdentity, readIdentity } from '../../core/protocol/identity.ts';
import { generateIdentitySecrets } from '../../core/protocol/keys.ts';
import { oidcNonce, oidcRedeemContent } from '../../core/protocol/oidc-nonce.ts';
import type { Core } from '../../core/types.ts';
import { custodyRetrieve, type RetrievalProgress } from '../../plugins/custody/retrieve.ts';
import { verifyRedeemReply } from '../../plugins/safeguard/reply.ts';
import { OidcRedeemSession } from '../oidc/oidc-session.ts';
import { type PendingFacts, type PendingHolder, type PendingStore, pendingStore } from '../oidc/pending-store.ts';
import { wipeSecrets } from '../vault/secrets.ts';

export type { PendingFacts, PendingHolder } from '../oidc/pending-store.ts';

/** What a sign-in is for, and its PKCE verifier; `state` names it. */
export interface OidcBeginArgs extends PendingFacts {
  readonly state: string;
}

/** One node while the redeemer is made known to it, then while it is asked (by its identity CID). */
export type OidcProgress =
  | { readonly node: string; readonly state: 'registered' | 'asked' }
  | { readonly node: string; readonly state: 'good'; readonly index?: number }
  | { readonly node: string; readonly state: 'wrong' | 'failed'; readonly reason: string; readonly code?: string };

/** A node's answer to the redemption. */
export interface OidcNodeOutcome {
  readonly node: string;
  readonly state: 'good' | 'wrong' | 'failed';
  /** The node's refusal code (oidc_wrong_subject, condition_not_met, cancelled, …), when it refused. */
  readonly code?: string;
  readonly reason?: string;
}

export interface OidcRedeemed {
  /** The secret, when it came back (moved to the page). */
  readonly secret?: Uint8Array;
  readonly nodes: readonly OidcNodeOutcome[];
  /** Why there is no secret: the nodes' refusal that says most, or what went wrong here. */
  readonly problem?: { readonly code: string; readonly message: string };
}

/** A sign-in this worker has no record of, or arguments it cannot take. */
export class OidcClaimError extends Error {
  override name = 'OidcClaimError';
}

const MAX_HOLDERS = 16;
const MAX_ID_TOKEN = 16 * 1024;
const REDEEMER_NAME = 'redeemer';
const CALL = { retries: 1, retryDelayMs: 500 } as const;

function checkBegin(a: OidcBeginArgs): void {
  const ok =
    typeof a?.state === 'string' &&
    a.state.length >= 16 &&
    (a.kind === 'custody' || a.kind === 'safeguard') &&
    Array.isArray(a.holders) &&
    a.holders.length >= 1 &&
    a.holders.length <= MAX_HOLDERS &&
    typeof a.verifier === 'string' &&
    a.verifier.length >= 43 &&
    [a.issuer, a.clientId, a.redirectUri].every((t) => typeof t === 'string' && t.length > 0);
  if (!ok) throw new OidcClaimError('a sign-in names its state, kind, nodes (1 to 16) and PKCE verifier');
  for (const h of a.holders) {
    CID.parse(h.identity);
    CID.parse(h.order);
  }
}

/** The facts a sign-in keeps, and nothing else the page may have put in its arguments. */
function factsOf(a: OidcBeginArgs): PendingFacts {
  const { kind, issuer, clientId, redirectUri, verifier, group } = a;
  const holders = a.holders.map(({ url, identity, order }) => ({ url: String(url), identity, order }));
  return {
    kind,
    issuer,
    clientId,
    redirectUri,
    verifier,
    holders,
    ...(group ? { group: CID.parse(group).toString() } : {}),
  };
}

/** The binding of a redemption: each node and its order, as the nonce and the node's check read it. */
const bindingOf = (holders: readonly PendingHolder[]) =>
  holders.map((h) => ({ node: CID.parse(h.identity), order: h.order }));

/** The refusal that tells the person most: the OIDC or condition codes first, then any other. */
function telling(outcomes: readonly OidcNodeOutcome[]): { code: string; message: string } | undefined {
  const refused = outcomes.filter((o) => o.code !== undefined);
  const best = refused.find((o) => /^oidc_|^condition_not_met$|^cancelled$|^untrusted_issuer$/.test(o.code!));
  const o = best ?? refused[0];
  return o ? { code: o.code!, message: o.reason ?? o.code! } : undefined;
}

export function oidcApi(deps: { core: Core; store?: PendingStore }) {
  const { core } = deps;
  const store = deps.store ?? pendingStore();

  /** A session with each node that answers, as the redeemer; nodes that do not are reported failed. */
  const sessionsOf = async (holders: readonly PendingHolder[], me: Signer, onProgress?: (p: OidcProgress) => void) =>
    Promise.all(
      holders.map(async (h) => {
        try {
          const api = new NodeApi(h.url);
          const node = await nodeIdentity(api, core.bls, h.identity, { timeoutMs: 10_000 });
          return new OidcRedeemSession(api, node, core.bls, me, { ...CALL, registerFirst: true });
        } catch (e) {
          onProgress?.({ node: h.identity, state: 'failed', reason: e instanceof Error ? e.message : String(e) });
          return undefined;
        }
      }),
    );

  const outcomeOf = (
    h: PendingHolder,
    s: OidcRedeemSession | undefined,
    heard: Map<string, OidcProgress>,
  ): OidcNodeOutcome => {
    const p = heard.get(h.identity);
    if (p?.state === 'good') return { node: h.identity, state: 'good' };
    const code = s?.refusal?.code;
    const reason = s?.refusal?.message ?? (p && 'reason' in p ? p.reason : 'no answer');
    return { node: h.identity, state: p?.state === 'wrong' ? 'wrong' : 'failed', reason, ...(code ? { code } : {}) };
  };

  const redeemSafeguard = async (s: OidcRedeemSession, order: string, report: (p: OidcProgress) => void) => {
    report({ node: s.node.cid.toString(), state: 'asked' });
    const step = await s.redeem('safeguard', order, {});
    const secret = verifyRedeemReply(step.content, order);
    report({ node: s.node.cid.toString(), state: 'good' });
    return secret;
  };

  const redeemCustody = async (
    sessions: OidcRedeemSession[],
    p: PendingFacts,
    report: (p: OidcProgress) => void,
  ): Promise<Uint8Array> => {
    const holders = sessions.map((session) => ({
      session,
      order: p.holders.find((h) => h.identity === session.node.cid.toString())!.order,
    }));
    // A node's refusal in its own words, with its code apart (the shared retrieval joins them into one reason).
    const refusalOf = (node: string) => sessions.find((s) => s.node.cid.toString() === node)?.refusal;
    const onProgress = (r: RetrievalProgress) => {
      const refused = r.state === 'failed' ? refusalOf(r.node) : undefined;
      if (r.state === 'sent') report({ node: r.node, state: 'asked' });
      else if (refused) report({ node: r.node, state: 'failed', reason: refused.message, code: refused.code });
      else report(r);
    };
    // The group names the principal as its beneficiary; the reader is this fresh redeemer, proven by sign-in.
    const options = { group: CID.parse(p.group ?? ''), onProgress, oidc: true };
    const got = await custodyRetrieve(core, holders, options);
    return got.secret;
  };

  return {
    /**
     * Makes the redeemer, registers it at each node (progress per node), keeps it sealed with the sign-in's facts
     * under `state`; the nonce to send to the provider.
     */
    async begin(args: OidcBeginArgs, onProgress?: (p: OidcProgress) => void): Promise<{ nonce: string }> {
      checkBegin(args);
      const { state } = args;
      const facts = factsOf(args);
      const secrets = await generateIdentitySecrets(core.bls);
      try {
        const redeemer = await createIdentity(core.bls, secrets, { name: REDEEMER_NAME });
        const reached = await Promise.all(
          facts.holders.map(async (h) => {
            try {
              const api = new NodeApi(h.url);
              await nodeIdentity(api, core.bls, h.identity, { timeoutMs: 10_000 });
              await api.registerIdentity(redeemer.bytes, { timeoutMs: 10_000 });
              onProgress?.({ node: h.identity, state: 'registered' });
              return true;
            } catch (e) {
              onProgress?.({ node: h.identity, state: 'failed', reason: e instanceof Error ? e.message : String(e) });
              return false;
            }
          }),
        );
        if (!reached.some(Boolean)) throw new OidcClaimError('none of the nodes holding the order could be reached');
        await store.put(state, facts, { cid: redeemer.cid.toString(), bytes: redeemer.bytes }, secrets);
        return { nonce: oidcNonce(redeemer.cid, bindingOf(facts.holders)) };
      } finally {
        wipeSecrets(secrets);
      }
    },

    /**
     * A new sign-in for the redeemer of sign-in `from` (its token expired, a node was down): kept under `to` with a
     * new verifier, `from` deleted; the nonce, the same as before (the redeemer and the binding are). Whatever a
     * node released to this redeemer already is read back at the next redemption.
     */
    async renew(args: { readonly from: string; readonly to: string; readonly verifier: string }) {
      if (typeof args?.to !== 'string' || args.to.length < 16 || typeof args.verifier !== 'string') {
        throw new OidcClaimError('a new sign-in names its state and PKCE verifier');
      }
      const p = await store.open(String(args.from), (bytes) => cidOf(bytes).toString());
      if (!p) throw new OidcClaimError('this app started no such sign-in, or its redemption is finished already');
      try {
        const { redeemer, secrets, ...facts } = p;
        const identity = await readIdentity(core.bls, redeemer);
        await store.put(
          args.to,
          { ...facts, verifier: args.verifier },
          { cid: identity.cid.toString(), bytes: redeemer },
          secrets,
        );
        await store.delete(String(args.from));
        return { nonce: oidcNonce(identity.cid, bindingOf(facts.holders)) };
      } finally {
        wipeSecrets(p.secrets);
      }
    },

    /**
     * The state of a claim of these nodes and orders begun on this device before and not finished (the tab was
     * closed on the way, or the nodes were asked and the page went away): signing in again continues it.
     */
    earlier: (holders: readonly PendingHolder[]): Promise<string | undefined> =>
      store.findFor(Array.isArray(holders) ? holders : []),

    /** What sign-in `state` is for, and its verifier; undefined when this app started no such sign-in. */
    pending: (state: string): Promise<PendingFacts | undefined> => store.facts(String(state)),

    /** Redeems at every node with the ID token as the redeemer of sign-in `state`; the secret, or why not. */
    async redeem(
      args: { readonly state: string; readonly idToken: string },
      onProgress?: (p: OidcProgress) => void,
    ): Promise<OidcRedeemed> {
      if (typeof args?.idToken !== 'string' || args.idToken.length < 1 || args.idToken.length > MAX_ID_TOKEN) {
        throw new OidcClaimError('the provider gave no usable ID token');
      }
      const p = await store.open(String(args.state), (bytes) => cidOf(bytes).toString());
      if (!p) throw new OidcClaimError('this app started no such sign-in, or its redemption is finished already');
      const heard = new Map<string, OidcProgress>();
      const report = (x: OidcProgress) => {
        heard.set(x.node, x);
        onProgress?.(x);
      };
      try {
        const identity = await readIdentity(core.bls, p.redeemer);
        const me = keySigner(core.bls, { identity, secrets: p.secrets });
        const found = await sessionsOf(p.holders, me, report);
        const sessions = found.filter((s): s is OidcRedeemSession => s !== undefined);
        for (const s of sessions) s.proof = oidcRedeemContent(args.idToken, bindingOf(p.holders));
        let secret: Uint8Array | undefined;
        let problem: { code: string; message: string } | undefined;
        try {
          if (sessions.length === 0) throw new OidcClaimError('none of the nodes holding the order answers');
          secret =
            p.kind === 'custody'
              ? await redeemCustody(sessions, p, report)
              : await redeemSafeguard(sessions[0]!, p.holders[0]!.order, report);
        } catch (e) {
          // The plugins' own checks (too few shares, a reply that does not match) and a node's refusal alike.
          const code = (e as { code?: unknown }).code;
          const name = e instanceof Error ? e.name : 'refused';
          problem = {
            code: typeof code === 'string' ? code : name,
            message: e instanceof Error ? e.message : String(e),
          };
        }
        const nodes = p.holders.map((h) => outcomeOf(h, found[p.holders.indexOf(h)], heard));
        if (!secret) return { nodes, problem: telling(nodes) ?? problem ?? { code: 'refused', message: 'no secret' } };
        await store.delete(String(args.state));
        // Moved to the page, not copied: no copy of the secret stays in the worker.
        const out = Uint8Array.from(secret);
        wipe(secret);
        return Comlink.transfer({ secret: out, nodes }, [out.buffer]);
      } finally {
        wipeSecrets(p.secrets);
      }
    },

    /** Forgets sign-in `state` and its redeemer (the person cancelled, or is done). */
    cancel: (state: string): Promise<void> => store.delete(String(state)),
  };
}

export type OidcApi = ReturnType<typeof oidcApi>;
