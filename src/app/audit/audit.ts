/**
 * One audit of one node, as the Audit page runs it: reads what the node serves (its checkpoint, the tiles of
 * its tree, where each of the person's envelopes is in it, its Bitcoin anchors) through the one API client,
 * runs every check of the model on it, keeps the checkpoint for next time only once it verified and was
 * consistent, and keeps the evidence of what failed. Nothing the node says is taken on its word: the key comes
 * from the node's identity document this app verified when the node was added, the proofs are computed here.
 * @module
 */
import { CID } from 'multiformats/cid';
import type { AnchorTrust } from '../../core/anchor/proof.ts';
import { globalFetch } from '../../core/api/http.ts';
import type { LogKey } from '../../core/api/log-proof.ts';
import { logKeyOfIdentity, logKeyOfStatement } from '../../core/api/log-proof.ts';
import type { NodeApi } from '../../core/api/node-api.ts';
import { fromBase64, toBase64 } from '../../core/bytes.ts';
import { logEntry } from '../../core/protocol/log-entry.ts';
import type { IdentityDocument, Verified } from '../../core/protocol/types.ts';
import type { HashReader } from '../../core/tlog/merkle.ts';
import { tileReader } from '../../core/tlog/tiles.ts';
import { type FlowsDeps, nowOf } from '../api/deps.ts';
import { NodeApiError, NotReadyError } from '../api/errors.ts';
import { nodeApiAt } from '../api/node-api.ts';
import type { NodeRecord } from '../nodes/model.ts';
import { getNode, listNodes, storedIdentity } from '../nodes/registry.ts';
import { listOrders } from '../orders/repo.ts';
import { describeError } from '../ui/errors.ts';
import { checkAnchor } from './anchor.ts';
import { checkCheckpoint } from './checkpoint.ts';
import { type AuditCheck, type CheckKind, evidenceFile, unknown } from './checks.ts';
import { checkConsistency, type NotedCheckpoint } from './consistency.ts';
import { checkCosignedWitnesses } from './cosigned.ts';
import { checkInclusion, type EnvelopeEntry } from './inclusion.ts';
import { keepEvidence, lastSeen, rememberCheckpoint, type SeenCheckpoint } from './seen.ts';
import { checkWitnessEvidence, type WitnessEvidence } from './witness-evidence.ts';
import { checkWitnesses, type KnownWitness } from './witnesses.ts';

export interface AuditProgress {
  readonly label: string;
  readonly done?: number;
  readonly total?: number;
}

export interface AuditReport {
  readonly node: { readonly identity: string; readonly url: string; readonly name: string };
  readonly at: number;
  readonly checks: readonly AuditCheck[];
  /** The evidence file (JSON text) when a check failed. */
  readonly evidence?: string;
}

type Report = (p: AuditProgress) => void;

/**
 * The node's API as an audit reads it: what the node serves now, never a copy the browser kept. A cached checkpoint
 * would hide a node that changed its history since (same URL, another log); tiles too, so that the proofs are
 * computed from what the node serves with that checkpoint.
 */
function freshApi(deps: FlowsDeps, url: string): NodeApi {
  const base = deps.fetch ?? globalFetch;
  return nodeApiAt(url, (input, init) => base(input, { ...init, cache: 'no-store' }));
}

/** The value of a call, or undefined when the node answers 404 (it has none). */
async function unless404<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof NodeApiError && e.status === 404) return undefined;
    throw e;
  }
}

/** The log key the node's identity binds, or its BLS-signed statement for a node made before logs. */
async function logKeyOf(
  deps: FlowsDeps,
  api: NodeApi,
  identity: Verified<IdentityDocument>,
): Promise<LogKey | undefined> {
  const bound = logKeyOfIdentity(identity);
  if (bound) return bound;
  const reply = await unless404(api.logKey());
  if (!reply?.statement) return undefined;
  return logKeyOfStatement((await deps.crypto()).bls, identity, fromBase64(reply.statement, 'log key statement'));
}

/** The other nodes this app knows whose identity binds a log key: the witnesses it can recognise. */
async function knownWitnesses(deps: FlowsDeps, self: NodeRecord): Promise<KnownWitness[]> {
  const out: KnownWitness[] = [];
  for (const n of await listNodes(deps)) {
    if (n.identity === self.identity) continue;
    const key = logKeyOfIdentity(await storedIdentity(deps, n));
    if (key) out.push({ name: n.name, identity: n.identity, url: n.url, key });
  }
  return out;
}

/** The evidence each known witness serves (one that cannot be reached holds nothing we can see). */
async function evidenceHeldBy(deps: FlowsDeps, known: readonly KnownWitness[], report: Report) {
  report({ label: 'Asking the witnesses you know what they hold against this node…' });
  const held: WitnessEvidence[] = [];
  for (const w of known) {
    const records = await unless404(freshApi(deps, w.url).witnessEvidence()).catch(() => undefined);
    if (records) held.push({ witness: w.name, records });
  }
  return held;
}

/** Every envelope of the person's orders with this node, as the log entry it must be. */
async function envelopesWith(deps: FlowsDeps, node: NodeRecord, owner: string): Promise<EnvelopeEntry[]> {
  const seen = new Set<string>();
  const out: EnvelopeEntry[] = [];
  for (const order of await listOrders(deps, owner)) {
    if (order.nodeIdentity !== node.identity) continue;
    for (const e of order.envelopes) {
      if (seen.has(e.cid)) continue;
      seen.add(e.cid);
      out.push({ cid: e.cid, entry: logEntry('envelope', CID.parse(e.cid)) });
    }
  }
  return out;
}

/**
 * The witnesses check: what the witnesses hold against the node first; then the latest checkpoint's cosignatures,
 * or when it has none (steady traffic outruns the witnesses), the node's newest cosigned checkpoint's.
 */
async function witnessCheck(
  deps: FlowsDeps,
  api: NodeApi,
  node: NodeRecord,
  key: LogKey,
  latest: NotedCheckpoint,
  read: HashReader,
  report: Report,
): Promise<AuditCheck> {
  const known = await knownWitnesses(deps, node);
  const caught = checkWitnessEvidence(key, await evidenceHeldBy(deps, known, report));
  if (caught) return caught;
  const onLatest = checkWitnesses(latest.note, key, known);
  if (onLatest.status !== 'unknown') return onLatest;
  report({ label: 'Reading the newest checkpoint the witnesses cosigned…' });
  const cosigned = await unless404(api.logCosignedCheckpoint()).catch(() => undefined);
  return cosigned === undefined ? onLatest : checkCosignedWitnesses(cosigned, latest, key, known, read);
}

const indexOfAt = (api: NodeApi) => async (cid: string) => (await unless404(api.logEntry(cid)))?.index;

const notedOf = (s: SeenCheckpoint): NotedCheckpoint => ({ ...s, root: fromBase64(s.root, 'stored root') });

/** The checks that need a verified checkpoint. */
async function logChecks(
  deps: FlowsDeps,
  api: NodeApi,
  node: NodeRecord,
  owner: string,
  key: LogKey,
  report: Report,
): Promise<AuditCheck[]> {
  report({ label: 'Reading the node’s latest checkpoint…' });
  const note = await api.logCheckpoint();
  const { check, checkpoint } = checkCheckpoint(note, key);
  if (!checkpoint)
    return [check, ...unknowns(['witnesses', 'consistency', 'inclusion'], 'the checkpoint did not verify')];
  const read = tileReader((path) => api.logTile(path), checkpoint.size);
  const witnesses = await witnessCheck(deps, api, node, key, checkpoint, read, report);
  report({ label: 'Comparing with the checkpoint this device saw last time…' });
  const before = await lastSeen(deps, node.identity);
  const consistency = await checkConsistency(before && notedOf(before), checkpoint, read);
  if (consistency.status === 'ok') {
    const { root, ...rest } = checkpoint;
    await rememberCheckpoint(deps, { ...rest, node: node.identity, root: toBase64(root), at: nowOf(deps) });
  }
  const envelopes = await envelopesWith(deps, node, owner);
  const inclusion = await checkInclusion(envelopes, checkpoint, read, indexOfAt(api), (done, total) =>
    report({ label: `Proving your envelopes are in the log: ${done} of ${total}…`, done, total }),
  );
  return [check, witnesses, consistency, inclusion];
}

const unknowns = (kinds: readonly CheckKind[], why: string): AuditCheck[] =>
  kinds.map((k) => unknown(k, `Not checked: ${why}.`));

async function anchorCheckOf(
  api: NodeApi,
  identity: Verified<IdentityDocument>,
  key: LogKey | undefined,
  trust: AnchorTrust,
): Promise<AuditCheck> {
  if (!key) return unknown('anchor', 'Not checked: this node publishes no log key, so it has no Birth Record.');
  try {
    const anchors = await unless404(api.anchors());
    return checkAnchor(identity.cid, key, anchors?.birth ?? undefined, trust);
  } catch (e) {
    return unknown('anchor', `Not checked: ${describeError(e).message}.`);
  }
}

/**
 * Runs every check on the node at `url` for the identity `owner` (whose orders are proven included), trusting
 * Bitcoin headers that descend from the genesis of `trust.network`.
 */
export async function auditNode(
  deps: FlowsDeps,
  url: string,
  owner: string,
  trust: AnchorTrust,
  report: Report = () => undefined,
): Promise<AuditReport> {
  const node = await getNode(deps, url);
  if (!node) throw new NotReadyError(`the node ${url} is not in this app: add it under Nodes first`);
  const api = freshApi(deps, node.url);
  const identity = await storedIdentity(deps, node);
  const key = await logKeyOf(deps, api, identity);
  let checks: AuditCheck[];
  if (!key) {
    checks = unknowns(['checkpoint', 'witnesses', 'consistency', 'inclusion'], 'this node publishes no log key');
  } else {
    checks = await logChecks(deps, api, node, owner, key, report).catch((e) =>
      unknowns(['checkpoint', 'witnesses', 'consistency', 'inclusion'], describeError(e).message),
    );
  }
  report({ label: 'Checking the Birth Record’s anchor on Bitcoin…' });
  checks.push(await anchorCheckOf(api, identity, key, trust));
  const at = nowOf(deps);
  const result: AuditReport = { node: { identity: node.identity, url: node.url, name: node.name }, at, checks };
  if (!checks.some((c) => c.status === 'failed')) return result;
  const evidence = JSON.stringify(evidenceFile(node, at, checks), null, 2);
  const summary = checks
    .filter((c) => c.status === 'failed')
    .map((c) => c.reason)
    .join(' ');
  await keepEvidence(deps, { node: node.identity, at, summary, json: evidence });
  return { ...result, evidence };
}
