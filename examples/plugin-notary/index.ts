/**
 * notary: an example dta plugin that lives outside the node's source tree and is loaded by configuration
 * alone (README.md beside this file; the interface: docs/plugins.md).
 *
 *   "notary/order"   from anyone the node knows: { digest: 32 bytes, note?: text }. The node answers with a
 *                    reply envelope signed by the node, sealed to the sender and linked into the order's
 *                    chain: { order, digest, note?, time }: the node attests that it saw `digest` at `time`.
 *   GET /v1/plugins/notary/   what this notary takes; nothing secret.
 *
 * It imports only the plugin types (type-only) and helpers of the core, as a plugin written elsewhere would.
 * @module
 */
import { i2osp } from '../../src/core/bytes.ts';
import { bytes, type Check, integer, SchemaPathError, struct, text } from '../../src/core/schema.ts';
import type {
  DtaPlugin,
  OpenedRequest,
  PluginContext,
  PluginOpenApi,
  PluginReply,
} from '../../src/node/plugins/types.ts';

export const NAME = 'notary';
export const VERSION = '0.1.0';
export const ORDER_TYPE = `${NAME}/order`;
const DIGEST_BYTES = 32;
const DEFAULT_MAX_NOTE_BYTES = 280;

/** A refusal the node turns into {error: {code, message}} with `status` (any Error with code and status does). */
class NotaryError extends Error {
  override name = 'NotaryError';
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

interface Settings {
  readonly maxNoteBytes: number;
}

/** config.json "plugins": {"notary": {"module": "...", "maxNoteBytes": 280}}; the node strips "module". */
const settingsSchema = struct({}, { maxNoteBytes: integer(1, 4096) });

function readSettings(config: unknown): Settings {
  try {
    const s = settingsSchema(config ?? {}, 'settings');
    return { maxNoteBytes: s.maxNoteBytes ?? DEFAULT_MAX_NOTE_BYTES };
  } catch (err) {
    if (err instanceof SchemaPathError) throw new Error(err.message); // the node prefixes: plugin "notary": ...
    throw err;
  }
}

/** Checks untrusted content with `check`; a mismatch is a 400 malformed naming the field. */
function parse<T>(check: Check<T>, value: unknown, what: string): T {
  try {
    return check(value, what);
  } catch (err) {
    if (err instanceof SchemaPathError) throw new NotaryError('malformed', `notary: ${err.message}`);
    throw err;
  }
}

function orderSchema(settings: Settings) {
  return struct({ digest: bytes(DIGEST_BYTES) }, { note: text({ minBytes: 1, maxBytes: settings.maxNoteBytes }) });
}

/**
 * The time attested for order `id`: the one kept from a first attempt, else now, kept before the reply
 * leaves. A retried request (the node crashed after this ran) so gets the same reply, as the plugin
 * contract asks.
 */
async function attestedTime(ctx: PluginContext, id: string): Promise<number> {
  const kept = await ctx.keystore.get(id);
  if (kept) return Number(new DataView(kept.buffer, kept.byteOffset, kept.byteLength).getBigUint64(0));
  const now = Date.now();
  await ctx.keystore.put(id, i2osp(now, 8));
  return now;
}

function settingsOf(ctx: PluginContext): Settings {
  return readSettings(ctx.config);
}

async function order(ctx: PluginContext, request: OpenedRequest): Promise<PluginReply> {
  if (request.header.type !== ORDER_TYPE) throw new NotaryError('bad_request', `notary: expected ${ORDER_TYPE}`);
  const content = parse(orderSchema(settingsOf(ctx)), request.content, 'order');
  const id = request.cid.toString();
  const time = await attestedTime(ctx, id);
  ctx.log.info('digest attested', { order: id });
  const note = content.note !== undefined ? { note: content.note } : {};
  const reply = { order: id, digest: content.digest, time, ...note };
  return { content: reply, recipients: [request.sender.cid] }; // an order's reply reaches its beneficiary
}

const infoSchema = {
  summary: 'What this notary attests and the limits it keeps',
  response: {
    200: {
      description: 'the notary',
      type: 'object',
      required: ['plugin', 'version', 'orderType', 'digestBytes', 'maxNoteBytes', 'node'],
      properties: {
        plugin: { const: NAME },
        version: { type: 'string' },
        orderType: { const: ORDER_TYPE },
        digestBytes: { const: DIGEST_BYTES },
        maxNoteBytes: { type: 'integer' },
        node: { type: 'string', description: 'identity CID of the node whose signature makes the attestation' },
      },
    },
  },
};

const routes: NonNullable<DtaPlugin['routes']> = async (app, ctx) => {
  const settings = settingsOf(ctx); // bad settings stop the node at start, naming the plugin
  app.get('/', { schema: infoSchema }, async () => ({
    plugin: NAME,
    version: VERSION,
    orderType: ORDER_TYPE,
    digestBytes: DIGEST_BYTES,
    maxNoteBytes: settings.maxNoteBytes,
    node: ctx.node.cid.toString(),
  }));
};

const dagBytes = { $ref: '#/components/schemas/DagBytes' };

const openapi: PluginOpenApi = {
  description: 'A notary: the node attests, in a reply envelope it signs, that it saw a digest at a time.',
  steps: {
    order: {
      summary:
        'attest a 32-byte digest (e.g. SHA-256 of a document), with an optional note; ' +
        'the reply is sealed to the sender',
      content: {
        type: 'object',
        required: ['digest'],
        additionalProperties: false,
        properties: { digest: { ...dagBytes, description: '32 bytes' }, note: { type: 'string' } },
      },
      reply: {
        type: 'object',
        required: ['order', 'digest', 'time'],
        additionalProperties: false,
        properties: {
          order: { type: 'string' },
          digest: dagBytes,
          note: { type: 'string' },
          time: { type: 'integer', description: "ms since the epoch, by the node's clock" },
        },
      },
    },
  },
};

export const plugin: DtaPlugin = { name: NAME, version: VERSION, order, routes, openapi };
export default plugin;
