/**
 * The `bitcoin` plugin: a key whose address is known up front and whose
 * private key nobody holds until the beneficiary redeems it — not even the
 * fiduciary (the Go reference let the fiduciary alone compute it).
 *
 *   "bitcoin/order"   from the principal: { network, addressType,
 *                     beneficiary?, beneficiaryPublicKey | (xpub, path) |
 *                     beneficiaryKey (a key statement signed by the
 *                     beneficiary's identity, statement.ts; required for
 *                     another beneficiary, not expired at the order's time) }.
 *                     The node records B (one order per B), draws f, commits
 *                     it to the keystore under the order id, and replies
 *                     (sealed to principal and beneficiary) F = f·G, the
 *                     addresses of F + B, the commitment, its proof of
 *                     knowledge of f and the statement, echoed.
 *                     Threshold mode (threshold.ts): with `dkg`, a finished
 *                     secp256k1 DKG ("bitcoin:fiduciary key") gives F; the
 *                     reply names the session and this node's index.
 *   "bitcoin/redeem"  from the beneficiary: {} → { fiduciaryShare: f, ... }
 *                     sealed to the beneficiary only, who adds its b
 *                     (client.ts: recoverPrivateKey checks the address).
 *   GET /v1/plugins/bitcoin/              what this plugin supports
 *   POST /v1/plugins/bitcoin/orders/:id   a commitment's details (F,
 *                     commitment, proof; no address, no beneficiary key),
 *                     only to the order's parties: the body is a signed
 *                     "bitcoin/details" request { order } from one of them
 *
 * Library (pure, also for clients): keys, address, taproot, bip32,
 * commitment, schema, statement, fiduciary, store, client, spend, verify.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { CID } from 'multiformats/cid';
import { toHex } from '../../../core/bytes.ts';
import { struct, text as textField } from '../../../core/schema.ts';
import { ADDRESS_TYPES } from '../../../plugins/bitcoin/address.ts';
import { COMMITMENT_TAG } from '../../../plugins/bitcoin/commitment.ts';
import { DETAILS_TYPE } from '../../../plugins/bitcoin/details.ts';
import { BitcoinError, badRequest } from '../../../plugins/bitcoin/errors.ts';
import { assertIntentAddressed } from '../../../plugins/bitcoin/intent.ts';
import { NETWORK_NAMES } from '../../../plugins/bitcoin/network.ts';
import {
  type OrderRequest,
  parseBitcoinInput,
  parseOrderRequest,
  parseRedeemRequest,
} from '../../../plugins/bitcoin/schema.ts';
import { checkStatementTime, readKeyStatement, statedKeyFor } from '../../../plugins/bitcoin/statement.ts';
import type { DtaPlugin, OpenedRequest, OrderRecord, PluginContext, PluginOpenApi, PluginReply } from '../types.ts';
import { beneficiaryKey, orderReply, redeemReply } from './fiduciary.ts';
import { commitShare, loadCommitted, registerCommittedKeys } from './store.ts';
import { thresholdOrder, thresholdRedeem } from './threshold.ts';

export const PLUGIN_NAME = 'bitcoin';
export const PLUGIN_VERSION = '1';
export const ORDER_TYPE = 'bitcoin/order';
export const REDEEM_TYPE = 'bitcoin/redeem';
const RESOLVE_TIMEOUT_MS = 10_000;

function expectType(request: OpenedRequest, type: string): void {
  if (request.header.type !== type) throw badRequest(`expected an envelope of type ${type}`);
}

/** The beneficiary must be an identity this node can seal to; checked before anything is committed. */
async function checkIdentity(ctx: PluginContext, cid: CID): Promise<void> {
  try {
    await ctx.identities.resolve(cid, { signal: AbortSignal.timeout(RESOLVE_TIMEOUT_MS) });
  } catch {
    throw badRequest('beneficiary: unknown identity (register it with this node first)');
  }
}

/**
 * A raw key (or xpub) is whatever the principal wrote: for another beneficiary only that beneficiary's signed
 * statement says B is its own.
 */
function requireStatementForOther(req: OrderRequest, principal: CID): void {
  if (req.beneficiaryKey || !req.beneficiary || req.beneficiary.equals(principal)) return;
  throw new BitcoinError(
    'key_statement_required',
    'beneficiaryKey: an order for another identity carries that ' +
      "identity's signed key statement (its key card), not a raw key",
  );
}

/**
 * The order with a key statement replaced by the key it states (signature and signer checked, and not expired
 * at `at`, the order's time: the same on a retry).
 */
async function resolveStatement(ctx: PluginContext, req: OrderRequest, at: number): Promise<OrderRequest> {
  if (!req.beneficiaryKey) return req;
  const statement = await readKeyStatement(ctx.core.bls, req.beneficiaryKey, ctx.identities, {
    signal: AbortSignal.timeout(RESOLVE_TIMEOUT_MS),
  });
  checkStatementTime(statement, at);
  const key = statedKeyFor(statement, req);
  return {
    network: req.network,
    addressType: req.addressType,
    beneficiary: statement.beneficiary,
    ...(req.dkg ? { dkg: req.dkg } : {}),
    ...(key.beneficiaryPublicKey
      ? { beneficiaryPublicKey: key.beneficiaryPublicKey }
      : { xpub: key.xpub!, path: key.path! }),
  };
}

async function order(ctx: PluginContext, request: OpenedRequest): Promise<PluginReply> {
  expectType(request, ORDER_TYPE);
  const principal = request.header.sender;
  const asked = parseOrderRequest(request.content);
  requireStatementForOther(asked, principal);
  const req = await resolveStatement(ctx, asked, request.header.created);
  beneficiaryKey(req); // a bad key, xpub or path is refused before any state changes
  const beneficiary = req.beneficiary ?? principal;
  assertIntentAddressed(request.header.recipients, beneficiary);
  if (!beneficiary.equals(principal)) await checkIdentity(ctx, beneficiary);
  const orderId = request.cid.toString();
  const content = req.dkg
    ? await thresholdOrder(ctx, orderId, req, principal, asked.beneficiaryKey)
    : orderReply((await commitShare(ctx.keystore, orderId, req)).share, request.cid, req, asked.beneficiaryKey);
  ctx.log.info('bitcoin order committed', { order: orderId, network: req.network, addressType: req.addressType });
  const recipients = beneficiary.equals(principal) ? [principal] : [principal, beneficiary];
  return { content, recipients, beneficiary };
}

async function redeem(ctx: PluginContext, record: OrderRecord, request: OpenedRequest): Promise<PluginReply> {
  expectType(request, REDEEM_TYPE);
  if (request.header.sender.toString() !== record.beneficiary)
    throw new BitcoinError('not_beneficiary', 'only the order beneficiary may redeem it');
  parseRedeemRequest(request.content, record.id);
  const threshold = await thresholdRedeem(ctx, record.id);
  if (threshold) {
    ctx.log.info('bitcoin threshold share released', { order: record.id, index: threshold.index ?? 0 });
    return { content: threshold, recipients: [request.header.sender] };
  }
  const committed = await loadCommitted(ctx.keystore, record.id);
  if (!committed) throw new BitcoinError('not_found', 'no bitcoin commitment for this order');
  ctx.log.info('bitcoin share released', { order: record.id });
  return { content: redeemReply(committed.share, record.id, committed.request), recipients: [request.header.sender] };
}

const DETAILS_REQUEST = struct({ order: textField({ minBytes: 1, maxBytes: 256 }) });

/** Opens a signed details request for `orderId` and checks that its sender is one of the order's parties. */
async function openDetailsRequest(ctx: PluginContext, body: unknown, orderId: string): Promise<void> {
  if (!ctx.requests || !ctx.orders) throw new Error('bitcoin: this node gives plugins no signed requests or orders');
  const request = await ctx.requests.open(body, DETAILS_TYPE);
  const asked = parseBitcoinInput(DETAILS_REQUEST, request.content, DETAILS_TYPE);
  if (asked.order !== orderId) throw badRequest('order: does not name the order in the path');
  const record = await ctx.orders.get(orderId);
  if (!record || record.plugin !== PLUGIN_NAME) {
    throw new BitcoinError('not_found', 'no bitcoin commitment for this order');
  }
  const sender = request.header.sender.toString();
  if (sender !== record.principal && sender !== record.beneficiary) {
    throw new BitcoinError('not_party', "only the order's principal and beneficiary may read its details");
  }
}

function parseOrderId(value: unknown): string {
  if (typeof value !== 'string' || value.length > 128) throw badRequest('order id: not a CID');
  try {
    const cid = CID.parse(value);
    if (cid.toString() !== value) throw new Error('non-canonical');
  } catch {
    throw badRequest('order id: not a CID');
  }
  return value;
}

const hexString = { type: 'string', pattern: '^[0-9a-f]*$' };
const error = (description: string) => ({ description, $ref: 'Error#' });

const infoSchema = {
  summary: 'Networks, address types, commitment tag and envelope types',
  response: {
    200: {
      description: 'what the plugin takes',
      type: 'object',
      required: ['plugin', 'version', 'networks', 'addressTypes', 'commitment', 'proof', 'orderType', 'redeemType'],
      properties: {
        plugin: { const: PLUGIN_NAME },
        version: { type: 'string' },
        networks: { type: 'array', items: { enum: [...NETWORK_NAMES] } },
        addressTypes: { type: 'array', items: { enum: [...ADDRESS_TYPES] } },
        commitment: { type: 'string', description: 'the tag of the commitment hash' },
        proof: { const: 'bip340' },
        orderType: { const: ORDER_TYPE },
        redeemType: { const: REDEEM_TYPE },
      },
    },
  },
};

const commitmentSchema = {
  summary: "A commitment's details (no address, no beneficiary key), to the order's parties only",
  params: { type: 'object', required: ['id'], properties: { id: { type: 'string', description: 'order id' } } },
  body: {
    type: 'object',
    required: ['envelope'],
    additionalProperties: false,
    properties: { envelope: { type: 'string', description: `a signed "${DETAILS_TYPE}" request { order }, base64` } },
  },
  response: {
    200: {
      description: 'the commitment',
      type: 'object',
      required: ['order', 'network', 'addressType', 'fiduciaryPublicKey', 'commitment', 'proof'],
      properties: {
        order: { type: 'string' },
        network: { enum: [...NETWORK_NAMES] },
        addressType: { enum: [...ADDRESS_TYPES] },
        fiduciaryPublicKey: { ...hexString, description: 'F, 33 bytes compressed' },
        commitment: hexString,
        proof: { ...hexString, description: 'BIP-340 proof of knowledge of f' },
      },
    },
    400: error('bad_request: not an order id, or not a valid details request for it'),
    401: error('a request whose signature or sender does not verify'),
    403: error('not_party: the sender is neither the principal nor the beneficiary'),
    404: error('not_found: nothing committed for this order'),
    409: error('replay: this request was already answered'),
  },
};

async function routes(app: FastifyInstance, ctx: PluginContext): Promise<void> {
  // At start (routes are registered once, before the node serves): orders from before the register join it.
  const register = await registerCommittedKeys(ctx.keystore);
  if (register.registered > 0) ctx.log.info('bitcoin key register: earlier orders added', { ...register });
  if (register.shared + register.unreadable > 0) {
    ctx.log.warn('bitcoin key register: earlier orders not added', { ...register });
  }
  app.get('/', { schema: infoSchema }, async () => ({
    plugin: PLUGIN_NAME,
    version: PLUGIN_VERSION,
    networks: NETWORK_NAMES,
    addressTypes: ADDRESS_TYPES,
    commitment: COMMITMENT_TAG,
    proof: 'bip340',
    orderType: ORDER_TYPE,
    redeemType: REDEEM_TYPE,
  }));
  app.post<{ Params: { id: string } }>('/orders/:id', { schema: commitmentSchema }, async (request) => {
    const orderId = parseOrderId(request.params.id);
    await openDetailsRequest(ctx, request.body, orderId);
    const committed = await loadCommitted(ctx.keystore, orderId);
    if (!committed) throw new BitcoinError('not_found', 'no bitcoin commitment for this order');
    const reply = orderReply(committed.share, orderId, committed.request);
    return {
      order: orderId,
      network: reply.network,
      addressType: reply.addressType,
      fiduciaryPublicKey: toHex(reply.fiduciaryPublicKey),
      commitment: toHex(reply.commitment),
      proof: toHex(reply.proof),
    };
  });
}

const openapi: PluginOpenApi = {
  description:
    'The fiduciary draws a secp256k1 key share f and commits to F = f·G; the address is derived from F + B, B ' +
    "the beneficiary's key, so neither alone holds the private key. On redemption the beneficiary receives f, sealed " +
    'to it. Envelopes "bitcoin/order" and "bitcoin/redeem": src/node/plugins/bitcoin/README.md.',
  errorCodes: ['key_statement_required', 'key_card_expired', 'key_reused', 'not_party', 'not_requester', 'dkg_taken'],
};

export const bitcoinPlugin: DtaPlugin = { name: PLUGIN_NAME, version: PLUGIN_VERSION, order, redeem, routes, openapi };
export default bitcoinPlugin;
