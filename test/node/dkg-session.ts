// The session document a DKG test proposes to the nodes it has sessions with, and the `dkg/start` content that
// carries it (the session's bytes with every node's identity document, in session order).
import type { NodeSession } from '../../src/core/api/session.ts';
import { createSession } from '../../src/core/dkg/messages.ts';

/** A BLS12-381 session among the nodes of `sessions`, t-of-n, and its `dkg/start` content. */
export function blsSessionAmong(sessions: readonly NodeSession[], t: number, purpose: string) {
  const session = createSession({ group: 'bls12-381', nodes: sessions.map((s) => s.node.cid), t, purpose });
  return { session, content: { session: session.bytes, identities: sessions.map((s) => s.node.bytes) } };
}
