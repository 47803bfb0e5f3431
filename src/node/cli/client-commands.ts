/**
 * Client commands for scripts: a home holds one client identity (the same
 * layout as a node's home), and these commands talk to a node's API with it.
 *   dta identity create --name <name>        keys + identity document in --home
 *   dta identity show                        the identity (public), as JSON
 *   dta identity register --url <node>       make it known to a node
 *   dta order --url <node> ...               create an order (safeguard flags, or --plugin + --content)
 *   dta retrieve --url <node> --order <id>   redeem an order as its beneficiary
 *   dta order --plugin bitcoin --dkg <session> --content …   a threshold Bitcoin order (F from that DKG)
 *   dta retrieve --plugin bitcoin --threshold --url <u,u,…> --order <id,id,…> --secret-file <b> --out <wif>
 *   dta show --url <node> --order <id>       an order and its history
 * Secrets never come from arguments: --secret-file <path> (or - for stdin).
 *
 * `order` and `retrieve` send their envelope again (the same bytes, so no
 * second order can come of it) after a network failure or a 503, up to
 * --retries times a second apart; when the node had committed it before
 * the reply was lost, the node answers 409 replay and the client reads the
 * committed reply from the order's history (src/core/api/session.ts).
 * @module
 */
import { CID } from 'multiformats/cid';
import { NodeApiError } from '../../core/api/errors.ts';
import { NodeApi } from '../../core/api/node-api.ts';
import { type NodeSession, openSession, type StepResult } from '../../core/api/session.ts';
import { createCore } from '../../core/index.ts';
import { checkRetrievedSecret, orderSafeguardWith, type SafeguardOrderInput } from '../../plugins/safeguard/order.ts';
import { loadConfig } from '../config.ts';
import { writeDurable } from '../fsutil.ts';
import { initHome, readHomeIdentity } from '../home.ts';
import { getPassphrase } from '../keystore/passphrase.ts';
import { thresholdRetrieve } from './bitcoin-threshold.ts';
import { CONDITION_OPTIONS, CONDITIONS_USAGE, conditionsOf } from './conditions-options.ts';
import { fromDagJson, toDagJson } from './dagjson.ts';
import { need, readSecret, str, unlockHome, type Values } from './input.ts';
import { type Command, UsageError } from './main.ts';

const DEFAULT_URL = 'http://127.0.0.1:5556';
const DEFAULT_RETRIES = 3;

const nodeApi = (v: Values): NodeApi => new NodeApi(str(v, 'url') ?? DEFAULT_URL);

/** An unlocked session: this home's identity signing requests to the node at --url. */
async function session(v: Values): Promise<NodeSession> {
  const core = await createCore();
  const { me } = await unlockHome(v, core);
  return openSession(nodeApi(v), core.bls, me, { retries: retries(v) });
}

/** The node's refusals as "<status> <code>: <message>", the form scripts read; other errors as they are. */
async function readable<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof NodeApiError) throw new Error(`${e.status} ${e.code}: ${e.message}`);
    throw e;
  }
}

function retries(v: Values): number {
  const s = str(v, 'retries');
  if (s === undefined) return DEFAULT_RETRIES;
  if (!/^\d{1,3}$/.test(s)) throw new UsageError('--retries: expected an integer in 0..999');
  return Number(s);
}

/** Any plugin's order content: --content (DAG-JSON), sealed to the node alone as given. */
function rawContent(content: string): unknown {
  try {
    return fromDagJson(JSON.parse(content));
  } catch (err) {
    throw new UsageError(`--content: ${(err as Error).message}`);
  }
}

/** `content` with `dkg` (a session CID) added, when given. */
function withDkg(content: unknown, dkg: string | undefined): unknown {
  if (dkg === undefined) return content;
  if (typeof content !== 'object' || content === null) throw new UsageError('--dkg: --content must be a map');
  try {
    return { ...content, dkg: CID.parse(dkg) };
  } catch {
    throw new UsageError('--dkg: not a CID');
  }
}

/** The safeguard flags (the secret read from --secret-file, or --generate), for an order with its intent. */
async function safeguardInput(v: Values): Promise<SafeguardOrderInput> {
  const beneficiary = CID.parse(need(v, 'beneficiary'));
  const label = str(v, 'label');
  const conditions = conditionsOf(v);
  const base = {
    beneficiary,
    ...(label !== undefined ? { label } : {}),
    ...(conditions !== undefined ? { conditions } : {}),
  };
  const file = str(v, 'secret-file');
  const generate = str(v, 'generate');
  if ((file === undefined) === (generate === undefined))
    throw new UsageError('give one of --secret-file <path|-> and --generate <bytes>');
  if (file !== undefined) return { ...base, secret: await readSecret(file) };
  return { ...base, generate: Number(generate) };
}

/** Places the order: --content as given, or a safeguard order written with its intent (like the app's). */
async function placeOrder(v: Values): Promise<StepResult> {
  const content = str(v, 'content');
  const input = content === undefined ? await safeguardInput(v) : undefined;
  const dkg = str(v, 'dkg'); // a threshold Bitcoin order: the DKG session whose group key is F
  const raw = content !== undefined ? withDkg(rawContent(content), dkg) : undefined;
  try {
    return await readable(async () => {
      const s = await session(v);
      await s.register();
      return input ? orderSafeguardWith(s, input) : s.order(str(v, 'plugin') ?? 'safeguard', raw);
    });
  } finally {
    input?.secret?.fill(0);
  }
}

const print = (value: unknown): void => console.log(JSON.stringify(toDagJson(value), null, 2));

/** `dta check-in` and `dta cancel`: a step of the principal's on its order (docs/protocol.md#check-in-and-cancel). */
function principalCommand(step: 'check-in' | 'cancel', summary: string): Command {
  return {
    summary,
    usage: `dta ${step} --order <id> [--url <node>] [--plugin safeguard] [--retries <n, default 3>] [--home <dir>]`,
    options: { ...CLIENT, order: { type: 'string' }, plugin: { type: 'string' } },
    async run(v) {
      const id = need(v, 'order');
      const plugin = str(v, 'plugin') ?? 'safeguard';
      const s = await session(v);
      const { reply, envelope } = await readable(() =>
        step === 'check-in' ? s.checkIn(plugin, id) : s.cancel(plugin, id),
      );
      const at = new Date(envelope.value.header.created).toISOString(); // the node's time
      print({ order: reply.order, status: reply.status, cid: reply.cid, at });
    },
  };
}

const CLIENT = { url: { type: 'string' }, 'key-file': { type: 'string' }, retries: { type: 'string' } } as const;

export const clientCommands: Record<string, Command> = {
  'identity create': {
    summary: 'create a client identity (keys in an encrypted keystore) in --home',
    usage: 'dta identity create --name <name> [--home <dir>] [--key-file <path>] [--scrypt-log-n <14..22>]',
    options: { name: { type: 'string' }, 'key-file': { type: 'string' }, 'scrypt-log-n': { type: 'string' } },
    async run(v) {
      const config = await loadConfig(str(v, 'home') ? { home: str(v, 'home')! } : {});
      const name = need(v, 'name');
      const passphrase = await getPassphrase({
        ...(str(v, 'key-file') ? { keyFile: str(v, 'key-file')! } : {}),
        confirm: true,
      });
      const logN = str(v, 'scrypt-log-n') ? Number(str(v, 'scrypt-log-n')) : undefined;
      const home = await initHome(await createCore(), config.home, passphrase.bytes, {
        name,
        ...(logN ? { scryptLogN: logN } : {}),
      });
      await home.keystore.close();
      console.log(home.identity.cid.toString());
    },
  },
  'identity show': {
    summary: "this home's identity document (public), as JSON",
    usage: 'dta identity show [--home <dir>]',
    options: {},
    async run(v) {
      const config = await loadConfig(str(v, 'home') ? { home: str(v, 'home')! } : {});
      const identity = await readHomeIdentity(await createCore(), config.home);
      if (!identity) throw new Error(`no identity in ${config.home}`);
      print({
        cid: identity.cid,
        document: identity.bytes,
        name: identity.value.name,
        created: identity.value.created,
      });
    },
  },
  'identity register': {
    summary: "register this home's identity with a node",
    usage: 'dta identity register [--url <node>] [--home <dir>]',
    options: { url: { type: 'string' } },
    async run(v) {
      const config = await loadConfig(str(v, 'home') ? { home: str(v, 'home')! } : {});
      const identity = await readHomeIdentity(await createCore(), config.home);
      if (!identity) throw new Error(`no identity in ${config.home}`);
      const r = await readable(() => nodeApi(v).registerIdentity(identity.bytes));
      console.log(r.cid);
    },
  },
  order: {
    summary:
      'create an order: safeguard (--beneficiary with --secret-file or --generate) or any plugin (--plugin, --content)',
    usage:
      'dta order [--url <node>] [--plugin safeguard] (--beneficiary <cid> ' +
      `(--secret-file <path|-> | --generate <16..64>) [--label <text>] ${CONDITIONS_USAGE} ` +
      '| --content <dag-json> [--dkg <session CID>]) [--retries <n, default 3>] [--home <dir>]',
    options: {
      ...CLIENT,
      plugin: { type: 'string' },
      content: { type: 'string' },
      beneficiary: { type: 'string' },
      'secret-file': { type: 'string' },
      generate: { type: 'string' },
      label: { type: 'string' },
      dkg: { type: 'string' },
      ...CONDITION_OPTIONS,
    },
    async run(v) {
      const { reply, content: opened } = await placeOrder(v);
      print({ order: reply.order, status: reply.status, cid: reply.cid, replayed: reply.replayed, content: opened });
    },
  },
  retrieve: {
    summary: 'redeem an order as its beneficiary; --out writes the safeguarded secret to a file (mode 0600)',
    usage:
      'dta retrieve --order <id> [--url <node>] [--plugin safeguard] [--content <dag-json>] [--out <file>] [--retries <n, default 3>] [--home <dir>]' +
      ' | dta retrieve --plugin bitcoin --threshold --url <url,…> --order <id,…> --secret-file <b hex> --out <wif file>',
    options: {
      ...CLIENT,
      order: { type: 'string' },
      plugin: { type: 'string' },
      content: { type: 'string' },
      out: { type: 'string' },
      threshold: { type: 'boolean' },
      'secret-file': { type: 'string' },
    },
    async run(v) {
      if (v.threshold === true) return thresholdRetrieve(v); // one order at each of several nodes
      const id = need(v, 'order');
      const extra = str(v, 'content') !== undefined ? fromDagJson(JSON.parse(str(v, 'content')!)) : {};
      const s = await session(v);
      const plugin = str(v, 'plugin') ?? 'safeguard';
      const { reply, content } = await readable(() => s.redeem(plugin, id, extra));
      const out = str(v, 'out');
      const secret = (content as { secret?: unknown }).secret;
      // The secret must be the one the principal's intent committed to, whatever the node says.
      if (plugin === 'safeguard' && secret instanceof Uint8Array) {
        await readable(async () => checkRetrievedSecret(s, (await createCore()).bls, id, secret)).catch(
          (e: unknown) => {
            secret.fill(0);
            throw e;
          },
        );
      }
      if (out !== undefined && secret instanceof Uint8Array) {
        await writeDurable(out, secret, 0o600);
        print({
          order: reply.order,
          status: reply.status,
          cid: reply.cid,
          replayed: reply.replayed,
          written: out,
          size: secret.length,
        });
      } else {
        print({ order: reply.order, status: reply.status, cid: reply.cid, replayed: reply.replayed, content });
      }
      if (secret instanceof Uint8Array) secret.fill(0);
    },
  },
  'check-in': principalCommand('check-in', "check in on an order with a dead man's switch: its period starts again"),
  cancel: principalCommand('cancel', 'cancel an order with release conditions: the node deletes its secret'),
  show: {
    summary: 'an order and its chain of envelopes',
    usage: 'dta show --order <id> [--url <node>]',
    options: { url: { type: 'string' }, order: { type: 'string' } },
    async run(v) {
      console.log(JSON.stringify(await readable(() => nodeApi(v).order(need(v, 'order'))), null, 2));
    },
  },
};
