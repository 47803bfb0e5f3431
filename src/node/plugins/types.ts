/**
 * The custodian's "special sauce": a dta plugin. The node's generic order
 * routes verify every request envelope (signature, known sender, recipient
 * is this node, fresh, not replayed) and then hand the opened envelope to
 * the plugin named by the type prefix: an envelope of type
 * "<plugin>/order" creates an order, "<plugin>/redeem" redeems one.
 * Whatever the plugin returns becomes the node's reply envelope, signed by
 * the node, linked into the order's chain, stored in Helia and on disk
 * before the HTTP reply leaves.
 *
 * A plugin may also add its own routes under /v1/plugins/<name>/ (an
 * encapsulated fastify plugin, each route with its JSON Schema) for
 * everything that is not an order step, and describe its envelopes in an
 * OpenAPI fragment the node merges into /openapi.json. The whole contract,
 * for plugins written outside this repository: docs/plugins.md.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import type { CID } from 'multiformats/cid';
import type { PluginSealed } from '../../core/crypto/plugin-seal.ts';
import type { DkgSession } from '../../core/dkg/messages.ts';
import type { Conditions } from '../../core/protocol/conditions.ts';
import type { EnvelopeHeader, IdentityDocument, IdentityResolver, Verified } from '../../core/protocol/types.ts';
import type { Core } from '../../core/types.ts';
import type { ScopedKeystore } from '../keystore/types.ts';

/** A request envelope after the node's checks, with its content decrypted (if sealed to this node). */
export interface OpenedRequest {
  readonly cid: CID;
  readonly header: EnvelopeHeader;
  readonly sender: Verified<IdentityDocument>;
  readonly content: unknown; // the DAG-CBOR value of the body (plain or decrypted)
  /** True when the body was sealed (encrypted to the recipients); false for a plain, public body. (Added by the node.) */
  readonly sealed?: boolean;
  /**
   * Verifies and opens a part the request carries as envelope bytes (e.g. safeguard's deposit, sealed to this
   * node only): signed by the request's sender, addressed to this node, version 2. (Added by the node for order
   * steps; optional for compatibility.)
   */
  readonly openPart?: (bytes: Uint8Array, from?: CID) => Promise<OpenedRequest>;
  /**
   * `openPart` with `from` takes a part signed by that known identity instead of the request's sender (e.g. a node's
   * earlier reply the request forwards; the plugin checks who `from` must be). `unseal` opens a secret sealed to
   * this node alone for this plugin (sealForPlugin, src/core/crypto/plugin-seal.ts), bound to `aad`; it throws
   * when it does not open. (Added by the node for order steps; optional for compatibility.)
   */
  readonly unseal?: (aad: Uint8Array, sealed: PluginSealed) => Uint8Array;
}

/** What the node keeps about an order (durable, on disk). */
export interface OrderRecord {
  readonly id: string; // CID string of the order's first envelope
  readonly plugin: string;
  readonly principal: string; // identity CID of the principal
  readonly beneficiary: string; // identity CID allowed to redeem
  readonly head: string; // CID of the latest envelope in the chain
  readonly history: readonly string[]; // envelope CIDs, oldest first
  readonly status: 'open' | 'redeemed' | 'cancelled';
  readonly created: number;
  /** The release conditions the principal signed with the order (docs/protocol.md#conditions); absent: none. */
  readonly conditions?: Conditions;
  /** The node's time of the latest check-in (its reply's `created`); absent: that of the node's reply to the order. */
  readonly checkedIn?: number;
}

/** The content of the node's reply envelope and who can read it. */
export interface PluginReply {
  /** Any DAG-CBOR value. */
  readonly content: unknown;
  /** Identity CIDs the reply is sealed to; empty = a plain (public) reply. */
  readonly recipients: readonly CID[];
  /** For an order: the identity CID allowed to redeem it (default: the principal). */
  readonly beneficiary?: CID;
}

/** What a plugin may use. Narrow on purpose: no access to the node's own keys or other plugins' secrets. */
export interface PluginContext {
  readonly core: Core;
  readonly node: Verified<IdentityDocument>; // this node's identity
  readonly identities: IdentityResolver;
  readonly keystore: ScopedKeystore; // names are prefixed with "<plugin>/"
  readonly log: PluginLogger;
  /**
   * The plugin's settings from the node configuration (`"plugins": {"<name>":
   * {...}}` in config.json): a frozen JSON object, absent when none are
   * configured. The plugin checks it (best at start, in `routes`, so bad
   * settings stop the node). (Added by the node; optional for compatibility.)
   */
  readonly config?: unknown;
  /**
   * For a plugin's own routes: checks a signed request envelope of `type`
   * (body as application/cbor or {"envelope": base64}) exactly as the order
   * routes do — sender known, signature, this node a recipient, fresh, never
   * seen before (409 replay) — and opens it. Errors are API errors the node
   * turns into 4xx replies. (Added by the node; optional for compatibility.)
   */
  readonly requests?: PluginRequests;
  /**
   * The node's record of an order (its parties and state), for a plugin's own routes that answer only the
   * order's parties. (Added by the node; optional for compatibility.)
   */
  readonly orders?: PluginOrders;
  /**
   * The DKGs this node finished whose purpose names this plugin ("<name>:<what>", docs/protocol.md "DKG carried
   * by nodes"): its share of each. (Added by the node; optional for compatibility.)
   */
  readonly dkg?: PluginDkg;
}

/** Finished DKGs whose purpose starts with "<this plugin's name>:" (no other plugin's). */
export interface PluginDkg {
  /** This node's holding of `session` when it is done here, else undefined; `share` is a copy (wipe it). */
  get(session: CID): Promise<DkgHolding | undefined>;
  /** Deletes this node's share of `session` (moved by resharing, or its order is gone). Idempotent. */
  remove(session: CID): Promise<void>;
}

export interface DkgHolding {
  readonly session: Verified<DkgSession>;
  /** The identity that started the session at this node. */
  readonly requester: CID;
  /** This node's 1-based share index. */
  readonly index: number;
  /** 32-byte scalar (secret). */
  readonly share: Uint8Array;
  /** Compressed point. */
  readonly groupKey: Uint8Array;
  /** The group's Feldman commitments (first = groupKey). */
  readonly commitments: Uint8Array[];
  readonly transcript: Uint8Array;
}

export interface PluginRequests {
  open(body: unknown, type: string): Promise<OpenedRequest>;
}

export interface PluginOrders {
  /** The order's record, or undefined when the node has none under that id. */
  get(id: string): Promise<OrderRecord | undefined>;
}

/**
 * A plugin refuses a request by throwing an Error with a string `code`
 * ([a-z][a-z0-9_]*) and an HTTP `status` (4xx): the node replies
 * {error: {code, message}} with that status and commits nothing. Errors of
 * the core about bad points or keys become 400 invalid_point; anything else
 * is a 500 whose message is not shown. See PluginError in ./errors.ts.
 */

/** Never pass secrets to a logger. */
export interface PluginLogger {
  info(msg: string, fields?: Record<string, string | number | boolean>): void;
  warn(msg: string, fields?: Record<string, string | number | boolean>): void;
}

/**
 * What a plugin says in /openapi.json beyond its routes' own schemas (OpenAPI 3.1; the node generates the
 * paths from the schema every route declares). Checked at start: schema names that clash with nobody's,
 * known steps, well-formed codes. See docs/plugins.md.
 */
export interface PluginOpenApi {
  /** What the plugin does: the description of its tag (every operation of its routes gets the tag <name>). */
  readonly description?: string;
  /**
   * Component schemas for readers of the document (e.g. a shape its routes and steps share), named
   * "<name>.<Thing>"; the node's own (Error, StepReply, DagCid, DagBytes, Identity, Order) may be referred to
   * as #/components/schemas/<Name>.
   */
  readonly schemas?: Readonly<Record<string, object>>;
  /** The content of its "<name>/order" and "<name>/redeem" envelopes and of the node's replies, as JSON Schema over their DAG-JSON form. */
  readonly steps?: Readonly<Partial<Record<'order' | 'redeem', PluginStepDoc>>>;
  /** Error codes of its own, beyond the node's table (src/node/http/errors.ts). */
  readonly errorCodes?: readonly string[];
}

export interface PluginStepDoc {
  readonly summary: string;
  /** The request envelope's content. */
  readonly content: object;
  /** The node's reply envelope's content. */
  readonly reply: object;
}

export interface DtaPlugin {
  /** [a-z][a-z0-9-]{0,31}; also the route prefix /v1/plugins/<name>/ and the envelope type prefix. */
  readonly name: string;
  readonly version: string;
  /**
   * A new order. Must be idempotent per request CID: a request the node
   * crashed on after the plugin ran but before the order was committed is
   * handed to the plugin again when retried, which must return the same
   * thing and never generate a second secret — keep what you commit to in
   * ctx.keystore under the order's request CID before returning. (A retry
   * of a committed request never reaches the plugin: the node answers it
   * 409 replay.)
   */
  order?(ctx: PluginContext, request: OpenedRequest): Promise<PluginReply>;
  /** A redemption by the order's beneficiary (the node has checked the sender). Same idempotency rule. */
  redeem?(ctx: PluginContext, order: OrderRecord, request: OpenedRequest): Promise<PluginReply>;
  /**
   * True when the plugin takes release conditions (docs/protocol.md#conditions): the node reads an order's
   * `conditions` and removes them before the plugin sees the content, and enforces them at redeem; a plugin that
   * takes them must also `forget`. Other plugins' orders with conditions are refused.
   */
  readonly conditions?: boolean;
  /**
   * The principal cancelled `order`: delete what the plugin keeps for it (its secret, its share), for good.
   * Idempotent: called again when the cancel is retried after a crash.
   */
  forget?(ctx: PluginContext, order: OrderRecord): Promise<void>;
  /**
   * Extra routes, registered encapsulated under /v1/plugins/<name>/. Each declares a fastify `schema`
   * (params, querystring, body, response: JSON Schema), which validates requests and documents the route
   * in /openapi.json; a route without one stops the node at start.
   */
  routes?(app: FastifyInstance, ctx: PluginContext): Promise<void>;
  /** Its part of /openapi.json beyond its routes: envelope contents, tag description, error codes. */
  readonly openapi?: PluginOpenApi;
}
