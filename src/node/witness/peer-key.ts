/**
 * The cosignature key of a witness configured by its identity (`{url, identity}`): its identity document, fetched
 * from its URL and verified against the CID the operator wrote (so the URL cannot substitute another node), binds
 * its log key (`log: {origin, key}`), or, for a node made before logs, its BLS-signed `dta/log-key` statement does;
 * the witness cosigns with that key under cosignature/v1 and its log origin (docs/protocol.md, "Witnessing").
 * @module
 */
import type { CID } from 'multiformats/cid';
import { logKeyOfIdentity, logKeyOfStatement } from '../../core/api/log-proof.ts';
import { NodeApi } from '../../core/api/node-api.ts';
import { fromBase64 } from '../../core/bytes.ts';
import { readIdentity } from '../../core/protocol/identity.ts';
import type { BlsSigner } from '../../core/protocol/types.ts';
import { cosignatureVerifierKey } from '../../core/tlog/cosignature.ts';
import { type NoteVerifier, parseVerifierKey } from '../../core/tlog/note.ts';

const TIMEOUT_MS = 5000;

export async function witnessKeyOf(bls: BlsSigner, url: string, identity: CID): Promise<NoteVerifier> {
  const api = new NodeApi(url);
  const node = await readIdentity(
    bls,
    await api.identityBytes(identity.toString(), { timeoutMs: TIMEOUT_MS }),
    identity,
  );
  let key = logKeyOfIdentity(node);
  if (!key) {
    const reply = await api.logKey({ timeoutMs: TIMEOUT_MS });
    if (reply.statement === undefined) throw new Error('the witness publishes no log key statement');
    key = await logKeyOfStatement(bls, node, fromBase64(reply.statement, 'log key statement'));
  }
  return parseVerifierKey(cosignatureVerifierKey(key.origin, key.publicKey));
}
