/**
 * `dta custody order|retrieve`: threshold custody from the command line (src/plugins/custody/).
 *
 *   dta custody order --nodes <url,url,…> --t <t> --beneficiary <cid> --secret-file <path|-> --receipt <file>
 *   dta custody order --resume <receipt>             post the same requests again (nodes that were down)
 *   dta custody retrieve --receipt <file> [--out <file>]
 *   dta custody reshare --group <receipt> --nodes <url,url,…> --t <t'> --receipt <file>   move the group of a
 *                                                    receipt to a new committee; writes the new group's receipt
 *   dta custody reshare --group <receipt> --resume <new receipt>    post its orders again, then confirm
 *
 * The receipt (JSON, mode 0600, written durably before any node is asked) names the group, its nodes and their
 * orders, and keeps the request envelopes as sent: a resumed order posts the very same bytes, so a node that
 * committed answers with its committed reply and one that crashed before committing keeps the same share. It
 * holds no secret (each share is sealed to its node); the principal gives it to the beneficiary to retrieve.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { CID } from 'multiformats/cid';
import { NodeApi } from '../../core/api/node-api.ts';
import { type NodeSession, openSession } from '../../core/api/session.ts';
import type { Signer } from '../../core/api/signer.ts';
import { fromBase64, toBase64, wipe } from '../../core/bytes.ts';
import { createCore } from '../../core/index.ts';
import { readIdentity } from '../../core/protocol/identity.ts';
import type { Core } from '../../core/types.ts';
import type { CustodyDeal } from '../../plugins/custody/deal.ts';
import { readGroup, type VerifiedGroup } from '../../plugins/custody/group.ts';
import { custodyOrder, type NodeProgress, placeCustodyOrders, reasonOf } from '../../plugins/custody/order.ts';
import { confirmResharing, type ReshareProgress, reshareGroup } from '../../plugins/custody/reshare-run.ts';
import { custodyRetrieve } from '../../plugins/custody/retrieve.ts';
import { writeDurable } from '../fsutil.ts';
import { CONDITION_OPTIONS, CONDITIONS_USAGE, conditionsOf } from './conditions-options.ts';
import { readDkgReceipt, retrieveDkg } from './custody-keygen.ts';
import { need, nodeUrls, readSecret, str, unlockHome, type Values } from './input.ts';
import { type Command, UsageError } from './main.ts';

const DEFAULT_RETRIES = 3;

/** What `dta custody order` writes and `retrieve` and `--resume` read. */
interface Receipt {
  readonly version: 1;
  readonly group: string;
  readonly groupDocument: string; // base64
  readonly beneficiary: string; // base64 of the beneficiary's identity document
  readonly ciphertext: string; // base64
  readonly nodes: readonly {
    readonly url: string;
    readonly node: string;
    readonly order: string;
    readonly request: string;
  }[];
}

/** Sessions with the nodes at `urls`, in that order, each holding the node to its identity CID when given. */
function openAll(core: Core, me: Signer, urls: readonly string[], expected: readonly (string | undefined)[] = []) {
  return urls.map((url, i) => {
    const options = { retries: DEFAULT_RETRIES, ...(expected[i] !== undefined ? { expected: expected[i] } : {}) };
    return openSession(new NodeApi(url), core.bls, me, options);
  });
}

/** Sessions with every node (ordering needs all of them). */
async function sessionsTo(v: Values, core: Core, urls: readonly string[], expected?: readonly string[]) {
  const { me, sign } = await unlockHome(v, core);
  return { sessions: await Promise.all(openAll(core, me, urls, expected)), sign };
}

function threshold(v: Values, n: number): number {
  const t = need(v, 't');
  if (!/^\d{1,3}$/.test(t) || Number(t) < 1 || Number(t) > n) throw new UsageError(`--t: an integer in 1..${n}`);
  return Number(t);
}

function receiptOf(deal: CustodyDeal, urls: readonly string[]): Receipt {
  return {
    version: 1,
    group: deal.group.cid.toString(),
    groupDocument: toBase64(deal.group.bytes),
    beneficiary: toBase64(deal.beneficiary.bytes),
    ciphertext: toBase64(deal.ciphertext),
    nodes: deal.requests.map((r, i) => ({
      url: urls[i]!,
      node: deal.group.value.nodes[i]!.toString(),
      order: r.cid.toString(),
      request: toBase64(r.bytes),
    })),
  };
}

async function readReceipt(path: string): Promise<Receipt> {
  const r = JSON.parse(await readFile(path, 'utf8')) as Receipt;
  if (r?.version !== 1 || !Array.isArray(r.nodes) || typeof r.group !== 'string') {
    throw new UsageError(`${path}: not a custody receipt`);
  }
  return r;
}

/** The deal a receipt recorded, checked again (the group signed by this identity, the beneficiary's document). */
async function dealOf(core: Core, r: Receipt, me: NodeSession): Promise<CustodyDeal> {
  const group = await readGroup(core.bls, fromBase64(r.groupDocument), async () => me.me.identity, CID.parse(r.group));
  const beneficiary = await readIdentity(core.bls, fromBase64(r.beneficiary), group.value.beneficiary);
  const requests = r.nodes.map((n) => ({ cid: CID.parse(n.order), bytes: fromBase64(n.request) }));
  return { group, beneficiary, ciphertext: fromBase64(r.ciphertext), requests };
}

const progressLine = (p: NodeProgress): void =>
  console.error(`node ${p.index} (${p.node}): ${p.state}${p.state === 'refused' ? ` (${p.reason})` : ''}`);

async function order(v: Values): Promise<void> {
  const core = await createCore();
  const resume = str(v, 'resume');
  if (resume !== undefined) {
    const receipt = await readReceipt(resume);
    const nodes = receipt.nodes;
    const { sessions } = await sessionsTo(
      v,
      core,
      nodes.map((n) => n.url),
      nodes.map((n) => n.node),
    );
    const placed = await placeCustodyOrders(await dealOf(core, receipt, sessions[0]!), sessions, {
      onProgress: progressLine,
    });
    console.log(JSON.stringify({ group: receipt.group, placed }, null, 2));
    return;
  }
  const urls = nodeUrls(v);
  const path = need(v, 'receipt');
  const t = threshold(v, urls.length);
  const secret = await readSecret(need(v, 'secret-file'));
  try {
    const { sessions, sign } = await sessionsTo(v, core, urls);
    const beneficiary = await sessions[0]!.identity(need(v, 'beneficiary'));
    const label = str(v, 'label');
    const conditions = conditionsOf(v); // the same in every node's order
    const input = {
      secret,
      beneficiary,
      t,
      ...(label !== undefined ? { label } : {}),
      ...(conditions !== undefined ? { conditions } : {}),
    };
    // The receipt is on disk before any node is asked, so an interrupted order can be resumed.
    const deal = await custodyOrder(core, sessions, sign, input, {
      onProgress: progressLine,
      beforePlacing: (d) => writeDurable(path, JSON.stringify(receiptOf(d, urls), null, 2), 0o600),
    });
    console.log(JSON.stringify({ group: deal.deal.group.cid.toString(), receipt: path, placed: deal.placed }, null, 2));
  } finally {
    wipe(secret);
  }
}

async function retrieve(v: Values): Promise<void> {
  const dkg = await readDkgReceipt(need(v, 'receipt'));
  if (dkg) return retrieveDkg(v, dkg); // a key the nodes generated (dta custody keygen)
  const core = await createCore();
  const receipt = await readReceipt(need(v, 'receipt'));
  const { me } = await unlockHome(v, core);
  const opened = await Promise.allSettled(
    openAll(
      core,
      me,
      receipt.nodes.map((n) => n.url),
      receipt.nodes.map((n) => n.node),
    ),
  );
  // A node that is down cannot even say who it is: it is reported and left out; any t others suffice.
  const holders: { session: NodeSession; order: string }[] = [];
  const down: { node: string; reason: string }[] = [];
  opened.forEach((o, i) => {
    const { node, order } = receipt.nodes[i]!;
    if (o.status === 'fulfilled') holders.push({ session: o.value, order });
    else down.push({ node, reason: reasonOf(o.reason) });
  });
  for (const d of down) console.error(`${d.node}: failed (${d.reason})`);
  const got = await custodyRetrieve(core, holders, {
    group: CID.parse(receipt.group),
    onProgress: (p) => console.error(`${p.node}: ${p.state}${'reason' in p ? ` (${p.reason})` : ''}`),
  });
  const out = str(v, 'out');
  try {
    const failed = [...down, ...got.failed];
    const report = { group: receipt.group, usedIndices: got.usedIndices, wrong: got.wrong, failed };
    if (out !== undefined) await writeDurable(out, got.secret, 0o600);
    console.log(
      JSON.stringify(
        out !== undefined
          ? { ...report, written: out, size: got.secret.length }
          : { ...report, secret: toBase64(got.secret) },
        null,
        2,
      ),
    );
  } finally {
    wipe(got.secret);
  }
}

/** Sessions with the nodes of `receipt` that answer (a node that is down is reported and left out). */
async function reachable(core: Core, me: Signer, receipt: Receipt): Promise<NodeSession[]> {
  const nodes = receipt.nodes;
  const opened = await Promise.allSettled(
    openAll(
      core,
      me,
      nodes.map((n) => n.url),
      nodes.map((n) => n.node),
    ),
  );
  opened.forEach((o, i) => {
    if (o.status === 'rejected') console.error(`${nodes[i]!.node}: failed (${reasonOf(o.reason)})`);
  });
  return opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
}

const reshareLine = (p: ReshareProgress): void =>
  console.error(`${p.step}: ${p.done}/${p.of}${p.failed ? ` (${p.failed.node}: ${p.failed.reason})` : ''}`);

/** `--resume`: the new receipt's orders posted again (the same bytes), then every old holder reachable confirmed. */
async function resumeReshare(core: Core, me: Signer, old: Receipt, group: VerifiedGroup, path: string) {
  const receipt = await readReceipt(path);
  const nodes = receipt.nodes;
  const urls = nodes.map((n) => n.url);
  const newNodes = await Promise.all(
    openAll(
      core,
      me,
      urls,
      nodes.map((n) => n.node),
    ),
  );
  const deal = await dealOf(core, receipt, newNodes[0]!);
  if (!deal.group.value.reshares?.equals(group.cid)) throw new UsageError(`${path} does not reshare ${old.group}`);
  const placed = await placeCustodyOrders(deal, newNodes, { onProgress: progressLine });
  const sessions = await reachable(core, me, old);
  const orders = placed.map((p, i) => ({ session: newNodes[i]!, order: p.order }));
  const done = await confirmResharing({
    sessions,
    group,
    newGroup: deal.group,
    placed: orders,
    onProgress: reshareLine,
  });
  return { group: receipt.group, receipt: path, orders: placed.map((p) => p.order), ...done };
}

async function reshare(v: Values): Promise<void> {
  const core = await createCore();
  const old = await readReceipt(need(v, 'group'));
  const { me, sign } = await unlockHome(v, core);
  const group = await readGroup(core.bls, fromBase64(old.groupDocument), async () => me.identity, CID.parse(old.group));
  const resume = str(v, 'resume');
  if (resume !== undefined) {
    console.log(JSON.stringify(await resumeReshare(core, me, old, group, resume), null, 2));
    return;
  }
  const urls = nodeUrls(v);
  const path = need(v, 'receipt');
  const t = threshold(v, urls.length);
  const [sessions, newNodes] = await Promise.all([reachable(core, me, old), Promise.all(openAll(core, me, urls))]);
  const done = await reshareGroup({
    ...{ core, sign, group, sessions, newNodes, t, onProgress: reshareLine },
    // The new receipt is on disk before any new node is asked: `--resume` posts it again and confirms.
    beforePlacing: (deal) => writeDurable(path, JSON.stringify(receiptOf(deal, urls), null, 2), 0o600),
  });
  const { confirmed, unconfirmed, orders } = done;
  console.log(
    JSON.stringify({ group: done.group.cid.toString(), receipt: path, orders, confirmed, unconfirmed }, null, 2),
  );
}

const CLIENT = { 'key-file': { type: 'string' } } as const;

export const custodyCommands: Record<string, Command> = {
  'custody order': {
    summary: 'deal a secret t-of-n to several nodes (threshold custody); --resume posts an interrupted order again',
    usage:
      'dta custody order (--nodes <url,url,…> --t <t> --beneficiary <cid> --secret-file <path|-> ' +
      `--receipt <file> [--label <text>] ${CONDITIONS_USAGE} | --resume <receipt>) [--home <dir>]`,
    options: {
      ...CLIENT,
      nodes: { type: 'string' },
      t: { type: 'string' },
      beneficiary: { type: 'string' },
      'secret-file': { type: 'string' },
      label: { type: 'string' },
      receipt: { type: 'string' },
      resume: { type: 'string' },
      ...CONDITION_OPTIONS,
    },
    run: order,
  },
  'custody reshare': {
    summary: "move a custody group to a new committee t'-of-n' (or refresh it); old holders delete their shares",
    usage:
      "dta custody reshare --group <receipt> (--nodes <url,url,…> --t <t'> --receipt <file> | --resume <new receipt>) " +
      '[--home <dir>]',
    options: {
      ...CLIENT,
      group: { type: 'string' },
      nodes: { type: 'string' },
      t: { type: 'string' },
      receipt: { type: 'string' },
      resume: { type: 'string' },
    },
    run: reshare,
  },
  'custody retrieve': {
    summary: 'recover a secret in threshold custody from any t of its nodes, as its beneficiary',
    usage: 'dta custody retrieve --receipt <file> [--out <file>] [--home <dir>]',
    options: { ...CLIENT, receipt: { type: 'string' }, out: { type: 'string' } },
    run: retrieve,
  },
};
