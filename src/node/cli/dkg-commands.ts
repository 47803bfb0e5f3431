/**
 * `dta dkg run|status`: a DKG carried by nodes, from the command line (docs/protocol.md "DKG carried by nodes").
 *
 *   dta dkg run --nodes <url,url,…> --t <t> --group bls12-381|secp256k1 --purpose <plugin:what> [--retry-ms <ms>]
 *   dta dkg status --session <cid> --nodes <url,url,…>
 *
 * `run` relays the rounds as the home's identity (the requester, whom the nodes record) and prints the
 * session, the group key and the commitments (base64); a DKG that cannot finish prints why and whom it
 * blames, exit status 1. `status` prints each node's side of a session. Neither sees a share.
 * @module
 */
import { DkgFailedError, runDkg } from '../../core/api/dkg-relay.ts';
import { NodeApi } from '../../core/api/node-api.ts';
import { openSession } from '../../core/api/session.ts';
import { toBase64 } from '../../core/bytes.ts';
import type { GroupName } from '../../core/dkg/group.ts';
import { createCore } from '../../core/index.ts';
import { need, nodeUrls, str, unlockHome, type Values } from './input.ts';
import { type Command, UsageError } from './main.ts';

const GROUPS: readonly GroupName[] = ['bls12-381', 'secp256k1'];

function urlsOf(v: Values): string[] {
  const urls = nodeUrls(v);
  if (urls.length < 2) throw new UsageError('--nodes: at least two node URLs, comma-separated, in session order');
  return urls;
}

function groupOf(v: Values): GroupName {
  const group = need(v, 'group');
  if (!(GROUPS as readonly string[]).includes(group)) throw new UsageError(`--group: one of ${GROUPS.join(', ')}`);
  return group as GroupName;
}

function integerOf(v: Values, key: string, min: number, max: number, fallback?: number): number {
  const text = fallback === undefined ? need(v, key) : str(v, key);
  if (text === undefined) return fallback as number;
  if (!/^\d{1,9}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`--${key}: an integer in ${min}..${max}`);
  }
  return Number(text);
}

async function run(v: Values): Promise<number> {
  const urls = urlsOf(v);
  const t = integerOf(v, 't', 2, urls.length);
  const group = groupOf(v);
  const purpose = need(v, 'purpose');
  const retryMs = integerOf(v, 'retry-ms', 0, 3_600_000, 30_000);
  const core = await createCore();
  const { me } = await unlockHome(v, core);
  const sessions = await Promise.all(urls.map((url) => openSession(new NodeApi(url), core.bls, me)));
  try {
    const result = await runDkg({
      sessions,
      t,
      group,
      purpose,
      retryMs,
      onProgress: (p) => console.error(`${p.step}: ${p.done}/${p.of} nodes`),
    });
    const nodes = sessions.map((s, k) => ({ index: k + 1, url: urls[k], node: s.node.cid.toString() }));
    const out = {
      session: result.session.cid.toString(),
      sessionDocument: toBase64(result.session.bytes),
      group,
      t,
      purpose,
      groupKey: toBase64(result.groupKey),
      commitments: result.commitments.map(toBase64),
      nodes,
    };
    console.log(JSON.stringify(out, null, 2));
    return 0;
  } catch (e) {
    if (!(e instanceof DkgFailedError)) throw e;
    const failed = { session: e.session.toString(), failed: e.reason, nodes: e.nodes, message: e.message };
    console.log(JSON.stringify(failed, null, 2));
    return 1;
  }
}

async function status(v: Values): Promise<void> {
  const session = need(v, 'session');
  const replies = await Promise.all(
    urlsOf(v).map(async (url) => {
      try {
        const r = await new NodeApi(url).dkgStatus(session);
        const { phase, index, reason, nodes, detail } = r;
        const key = r.groupKey ? { groupKey: toBase64(r.groupKey) } : {};
        return { url, phase, index, ...key, ...(reason ? { reason, nodes, detail } : {}) };
      } catch (e) {
        return { url, error: e instanceof Error ? e.message : 'no answer' };
      }
    }),
  );
  console.log(JSON.stringify({ session, nodes: replies }, null, 2));
}

const CLIENT = { 'key-file': { type: 'string' } } as const;

export const dkgCommands: Record<string, Command> = {
  'dkg run': {
    summary: 'run a distributed key generation among nodes (t-of-n; no node or relay ever holds the key)',
    usage:
      'dta dkg run --nodes <url,url,…> --t <t> --group bls12-381|secp256k1 --purpose <plugin:what> ' +
      '[--retry-ms <ms>] [--home <dir>]',
    options: {
      ...CLIENT,
      nodes: { type: 'string' },
      t: { type: 'string' },
      group: { type: 'string' },
      purpose: { type: 'string' },
      'retry-ms': { type: 'string' },
    },
    run: (v) => run(v),
  },
  'dkg status': {
    summary: "each node's side of a DKG session: its phase, index, group key or why it aborted",
    usage: 'dta dkg status --session <cid> --nodes <url,url,…>',
    options: { session: { type: 'string' }, nodes: { type: 'string' } },
    run: (v) => status(v),
  },
};
