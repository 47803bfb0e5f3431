/**
 * M-Pin, Apache Milagro's zero-knowledge multi-factor authentication, over
 * the core: byte-compatible with Milagro's BLS381 build (its published
 * vectors pass; the math is in the shared MPIN.md).
 *
 * Who does what:
 *  - each node (D-TA) holds a master-secret share s_i (`masterSecret`) and
 *    issues `serverSecret(s_i)` = s_i Q to authentication servers,
 *    `clientSecret(s_i, hashId(ID))` = s_i H(ID) to the client and, when
 *    time permits are used, `clientPermit(date, s_i, hashId(ID))`;
 *  - clients and servers add the shares (`recombineG1` / `recombineG2`);
 *    no party ever holds s = sum s_i;
 *  - the client stores `extractPin(ID, pin, CS)` = (s - pin) H(ID), which
 *    is useless without the PIN;
 *  - a login is two-pass (`client1`, a random challenge y, `client2`,
 *    `server1`, `server2`) or one-pass (`client` / `server`, y derived from
 *    the time and U); `server2` and `server` run one two-pair pairing check;
 *  - DVS (`dvsKeyPair`): the client appends its G2 key Pa to its identity,
 *    so the nodes cannot log in as the client (no key escrow);
 *  - M-Pin Full (`precompute`, `hashAll`, `clientKey`, `serverKey`): both
 *    sides derive the same 16-byte AES key;
 *  - after a failed login the server may estimate how far off the PIN was
 *    (`pinErrorValues`, `pinError`), as Milagro's kangaroo does.
 * Who may receive a share is node policy and is not decided here.
 *
 * Encodings are Milagro's, not the ZCash ones of the rest of the core:
 * G1 is 04 || x || y (97 bytes), G2 is x.re || x.im || y.re || y.im (192),
 * scalars are 48 bytes big-endian (< r), GT values 576 bytes in Milagro's
 * tower. Every point is fully validated in the core. Random scalars come
 * from crypto.getRandomValues (64 bytes reduced mod r in the core), unless
 * the caller passes its own (tests, vectors).
 *
 * Errors: malformed input throws a named error (BadLengthError,
 * BadEncodingError, NotOnCurveError, NotInSubgroupError, InfinityError,
 * BadScalarError, BadArgumentError). The verify functions return false
 * only for well-formed inputs that do not verify (wrong PIN, token,
 * permit, date or key).
 * @module
 */
import { BadArgumentError, DtaError, ErrorCode, check } from './errors.ts';
import { bytes, byteList, callOut, callVerify, integer, type Context } from './context.ts';
import type { Arena } from './wasm/arena.ts';
import type { Err, Ptr } from './wasm/exports.ts';

/** The raw M-Pin exports of wasm/dta.wasm (see the M-Pin section of include/dta.h). */
export interface MpinExports {
  dta_mpin_scalar_bytes(): number;
  dta_mpin_g1_bytes(): number;
  dta_mpin_g2_bytes(): number;
  dta_mpin_gt_bytes(): number;
  dta_mpin_hash_bytes(): number;
  dta_mpin_key_bytes(): number;
  dta_mpin_random_bytes(): number;
  dta_mpin_max_pin(): number;
  dta_mpin_random_scalar(out: Ptr, random: Ptr): Err;
  dta_mpin_hash_id(hid: Ptr, id: Ptr, idLen: number): Err;
  dta_mpin_map_to_g1(out: Ptr, hid: Ptr): Err;
  dta_mpin_server_secret(out: Ptr, s: Ptr): Err;
  dta_mpin_client_secret(out: Ptr, s: Ptr, hid: Ptr): Err;
  dta_mpin_client_permit(out: Ptr, date: number, s: Ptr, hid: Ptr): Err;
  dta_mpin_recombine_g1(out: Ptr, shares: Ptr, n: number): Err;
  dta_mpin_recombine_g2(out: Ptr, shares: Ptr, n: number): Err;
  dta_mpin_g1_mul(out: Ptr, k: Ptr, p: Ptr): Err;
  dta_mpin_extract_pin(out: Ptr, id: Ptr, idLen: number, pin: number, cs: Ptr): Err;
  dta_mpin_restore_pin(out: Ptr, id: Ptr, idLen: number, pin: number, token: Ptr): Err;
  dta_mpin_extract_factor(out: Ptr, id: Ptr, idLen: number, factor: number, bits: number, cs: Ptr): Err;
  dta_mpin_restore_factor(out: Ptr, id: Ptr, idLen: number, factor: number, bits: number, cs: Ptr): Err;
  dta_mpin_client_1(
    sec: Ptr, u: Ptr, ut: Ptr, id: Ptr, idLen: number, date: number, x: Ptr, pin: number, token: Ptr, permit: Ptr,
  ): Err;
  dta_mpin_client_2(v: Ptr, x: Ptr, y: Ptr, sec: Ptr): Err;
  dta_mpin_server_1(hid: Ptr, htid: Ptr, id: Ptr, idLen: number, date: number): Err;
  dta_mpin_server_2(date: number, hid: Ptr, htid: Ptr, y: Ptr, ss: Ptr, u: Ptr, ut: Ptr, v: Ptr, pa: Ptr): Err;
  dta_mpin_challenge(y: Ptr, t: number, u: Ptr, msg: Ptr, msgLen: number): Err;
  dta_mpin_client(
    v: Ptr, u: Ptr, ut: Ptr, y: Ptr, id: Ptr, idLen: number, date: number, x: Ptr, pin: number, token: Ptr,
    permit: Ptr, t: number, msg: Ptr, msgLen: number,
  ): Err;
  dta_mpin_server(
    id: Ptr, idLen: number, date: number, t: number, ss: Ptr, u: Ptr, ut: Ptr, v: Ptr, msg: Ptr, msgLen: number, pa: Ptr,
  ): Err;
  dta_mpin_dvs_keypair(pa: Ptr, z: Ptr): Err;
  dta_mpin_pin_error_values(e: Ptr, f: Ptr, date: number, hid: Ptr, htid: Ptr, y: Ptr, ss: Ptr, u: Ptr, ut: Ptr, v: Ptr): Err;
  dta_mpin_pin_error(err: Ptr, e: Ptr, f: Ptr): Err;
  dta_mpin_pairing(out: Ptr, p: Ptr, q: Ptr): Err;
  dta_mpin_precompute(g1pre: Ptr, g2pre: Ptr, token: Ptr, hid: Ptr, cp: Ptr): Err;
  dta_mpin_hash_all(h: Ptr, hid: Ptr, u: Ptr, ut: Ptr, v: Ptr, y: Ptr, z: Ptr, t: Ptr): Err;
  dta_mpin_client_key(key: Ptr, g1pre: Ptr, g2pre: Ptr, pin: number, r: Ptr, x: Ptr, h: Ptr, t: Ptr): Err;
  dta_mpin_server_key(key: Ptr, z: Ptr, ss: Ptr, w: Ptr, h: Ptr, hid: Ptr, u: Ptr, ut: Ptr): Err;
}

const MPIN_FUNCTIONS: readonly (keyof MpinExports)[] = Object.freeze([
  'dta_mpin_scalar_bytes', 'dta_mpin_g1_bytes', 'dta_mpin_g2_bytes', 'dta_mpin_gt_bytes', 'dta_mpin_hash_bytes',
  'dta_mpin_key_bytes', 'dta_mpin_random_bytes', 'dta_mpin_max_pin', 'dta_mpin_random_scalar', 'dta_mpin_hash_id',
  'dta_mpin_map_to_g1', 'dta_mpin_server_secret', 'dta_mpin_client_secret', 'dta_mpin_client_permit',
  'dta_mpin_recombine_g1', 'dta_mpin_recombine_g2', 'dta_mpin_g1_mul', 'dta_mpin_extract_pin', 'dta_mpin_restore_pin',
  'dta_mpin_extract_factor', 'dta_mpin_restore_factor', 'dta_mpin_client_1', 'dta_mpin_client_2',
  'dta_mpin_server_1', 'dta_mpin_server_2', 'dta_mpin_challenge', 'dta_mpin_client', 'dta_mpin_server',
  'dta_mpin_dvs_keypair', 'dta_mpin_pin_error_values', 'dta_mpin_pin_error', 'dta_mpin_pairing', 'dta_mpin_precompute', 'dta_mpin_hash_all', 'dta_mpin_client_key',
  'dta_mpin_server_key',
] as const);

/** Sizes of Milagro's encodings, read from the module. */
export interface MpinSizes {
  /** A scalar: 48 bytes big-endian, < r. */
  readonly scalar: number;
  /** A G1 point, 04 || x || y. */
  readonly g1: number;
  /** A G2 point, x.re || x.im || y.re || y.im. */
  readonly g2: number;
  /** A GT value in Milagro's tower. */
  readonly gt: number;
  /** HASH_ID(ID): 16 zero bytes || SHA-256(ID). */
  readonly hash: number;
  /** The M-Pin Full session key (AES-128). */
  readonly key: number;
  /** Random bytes per scalar. */
  readonly random: number;
  /** PINs are integers in [0, maxPin). */
  readonly maxPin: number;
}

/** The client's first pass. `x` is its secret for `client2`; `sec` its full secret: keep both until then. */
export interface MpinClientPass1 {
  readonly x: Uint8Array;
  readonly sec: Uint8Array;
  /** x H(ID), sent to the server. */
  readonly u: Uint8Array;
  /** x (H(ID) + H_T), sent when a time permit is used. */
  readonly ut?: Uint8Array;
}

/** The server's points for an identity: HID = H(ID) and, for a date, HTID = H(ID) + H_T. */
export interface MpinServerPass1 {
  readonly hid: Uint8Array;
  readonly htid?: Uint8Array;
}

export interface MpinClient1Args {
  readonly id: Uint8Array;
  readonly pin: number;
  readonly token: Uint8Array;
  /** The client's random scalar; drawn when absent. */
  readonly x?: Uint8Array;
  /** Days since the epoch with `permit`; 0 or absent: no time permit. */
  readonly date?: number;
  readonly permit?: Uint8Array;
}

export interface MpinServer2Args {
  /** From server1: `hid` (no date) or `htid` (with a date). */
  readonly hid?: Uint8Array;
  readonly htid?: Uint8Array;
  readonly date?: number;
  /** The challenge sent to the client. */
  readonly y: Uint8Array;
  readonly serverSecret: Uint8Array;
  /** The client's U (no date) or UT (with a date). */
  readonly u?: Uint8Array;
  readonly ut?: Uint8Array;
  readonly v: Uint8Array;
  /** The client's DVS public key, for the key-escrow-less variant. */
  readonly pa?: Uint8Array;
}

export interface MpinClientArgs extends MpinClient1Args {
  /** Unix time in seconds, bound into the challenge (0: none). */
  readonly time: number;
  /** Optional message bound into the challenge (a signature when DVS is used). */
  readonly message?: Uint8Array;
}

/** The one-pass client's output: send u (or ut), v and the time; y is for M-Pin Full. */
export interface MpinClientResult {
  readonly x: Uint8Array;
  readonly u: Uint8Array;
  readonly ut?: Uint8Array;
  readonly v: Uint8Array;
  readonly y: Uint8Array;
}

export interface MpinServerArgs {
  readonly id: Uint8Array;
  readonly date?: number;
  readonly time: number;
  readonly message?: Uint8Array;
  readonly serverSecret: Uint8Array;
  readonly u?: Uint8Array;
  readonly ut?: Uint8Array;
  readonly v: Uint8Array;
  readonly pa?: Uint8Array;
}

/** After a failed login: what the server needs to estimate the PIN error (a server2 argument set with hid and u). */
export interface MpinPinErrorArgs extends MpinServer2Args {
  readonly hid: Uint8Array;
  readonly u: Uint8Array;
}

/** E = e(V, Q) e(y A' + U', SS) and F = e(y HID + U, Q): E = F^(registered PIN - entered PIN). */
export interface MpinPinErrorValues {
  readonly e: Uint8Array;
  readonly f: Uint8Array;
}

/** M-Pin Full: the client's pairings, computed once per token. */
export interface MpinPrecomputed {
  readonly g1pre: Uint8Array;
  readonly g2pre: Uint8Array;
}

export interface MpinHashAllArgs {
  /** hashId(ID), 48 bytes. */
  readonly hid: Uint8Array;
  /** U, or UT when a time permit is used (UT wins when both are given). */
  readonly u?: Uint8Array;
  readonly ut?: Uint8Array;
  readonly v: Uint8Array;
  readonly y: Uint8Array;
  /** The client's Z = r H(ID) and the server's T = w A'. */
  readonly z: Uint8Array;
  readonly t: Uint8Array;
}

export interface MpinClientKeyArgs extends MpinPrecomputed {
  readonly pin: number;
  /** The client's DH secret r (Z = r H(ID)), its x, the transcript hash h and the server's T. */
  readonly r: Uint8Array;
  readonly x: Uint8Array;
  readonly h: Uint8Array;
  readonly t: Uint8Array;
}

export interface MpinServerKeyArgs {
  readonly z: Uint8Array;
  readonly serverSecret: Uint8Array;
  /** The server's DH secret w (T = w A'), the transcript hash h, HID from server1 and the client's U or UT. */
  readonly w: Uint8Array;
  readonly h: Uint8Array;
  readonly hid: Uint8Array;
  readonly u?: Uint8Array;
  readonly ut?: Uint8Array;
}

export interface MpinApi {
  readonly sizes: MpinSizes;
  /** Days since the Unix epoch (Milagro's today()), for time permits. */
  today(nowMs?: number): number;
  /** A scalar in [1, r) from 64 random bytes (crypto.getRandomValues when absent). */
  randomScalar(random?: Uint8Array): Uint8Array;
  /** A node's master-secret share (a random scalar). */
  masterSecret(random?: Uint8Array): Uint8Array;
  /** HASH_ID(ID) = 16 zero bytes || SHA-256(ID). */
  hashId(id: Uint8Array): Uint8Array;
  /** Milagro's mapit: the G1 point H(ID) of a hashed identity. */
  mapToG1(hid: Uint8Array): Uint8Array;
  serverSecret(masterSecret: Uint8Array): Uint8Array;
  /** s_i H(ID); takes hashId(ID), as Milagro does. */
  clientSecret(masterSecret: Uint8Array, hid: Uint8Array): Uint8Array;
  /** s_i H(date || hashId(ID)), date in days (> 0). */
  clientPermit(date: number, masterSecret: Uint8Array, hid: Uint8Array): Uint8Array;
  /** Sum of one or more G1 shares (client secrets, permits). */
  recombineG1(shares: readonly Uint8Array[]): Uint8Array;
  /** Sum of one or more G2 shares (server secrets). */
  recombineG2(shares: readonly Uint8Array[]): Uint8Array;
  /** k P, constant time in k (e.g. the DVS client's z CS). */
  g1Mul(k: Uint8Array, p: Uint8Array): Uint8Array;
  extractPin(id: Uint8Array, pin: number, clientSecret: Uint8Array): Uint8Array;
  restorePin(id: Uint8Array, pin: number, token: Uint8Array): Uint8Array;
  /** cs - factor H(ID) for a factor < 2^bits (1 <= bits <= 32). */
  extractFactor(id: Uint8Array, factor: number, bits: number, clientSecret: Uint8Array): Uint8Array;
  restoreFactor(id: Uint8Array, factor: number, bits: number, clientSecret: Uint8Array): Uint8Array;
  client1(args: MpinClient1Args): MpinClientPass1;
  /** V = -(x + y) SEC. */
  client2(x: Uint8Array, y: Uint8Array, sec: Uint8Array): Uint8Array;
  server1(id: Uint8Array, date?: number): MpinServerPass1;
  /** True when the login verifies. */
  server2(args: MpinServer2Args): boolean;
  /** The one-pass challenge y = SHA-256(time || U || message) mod r. */
  challenge(time: number, u: Uint8Array, message?: Uint8Array): Uint8Array;
  client(args: MpinClientArgs): MpinClientResult;
  server(args: MpinServerArgs): boolean;
  /** The DVS key pair: z (secret) and Pa = z^-1 Q; the client's identity becomes ID || Pa. */
  dvsKeyPair(z?: Uint8Array): { readonly z: Uint8Array; readonly pa: Uint8Array };
  /** E and F of a failed login (not for DVS logins). */
  pinErrorValues(args: MpinPinErrorArgs): MpinPinErrorValues;
  /**
   * The entered PIN minus the registered one, from E and F (|error| < maxPin, found exactly by
   * baby-step giant-step); undefined when the failure was not a wrong PIN (token, permit or key).
   */
  pinError(values: MpinPinErrorValues): number | undefined;
  /** e(P, Q) as Milagro's GT bytes. */
  pairing(p: Uint8Array, q: Uint8Array): Uint8Array;
  precompute(token: Uint8Array, hid: Uint8Array, pa?: Uint8Array): MpinPrecomputed;
  hashAll(args: MpinHashAllArgs): Uint8Array;
  clientKey(args: MpinClientKeyArgs): Uint8Array;
  serverKey(args: MpinServerKeyArgs): Uint8Array;
}

const U32_MAX = 0xffffffff;
const DAY_MS = 86_400_000;

function randomBytes(len: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(len));
}

export function makeMpin(ctx: Context): MpinApi {
  const e = ctx.e as unknown as MpinExports;
  const missing = MPIN_FUNCTIONS.filter((name) => typeof e[name] !== 'function');
  if (missing.length > 0) return unavailable(missing);
  const sizes: MpinSizes = Object.freeze({
    scalar: e.dta_mpin_scalar_bytes(),
    g1: e.dta_mpin_g1_bytes(),
    g2: e.dta_mpin_g2_bytes(),
    gt: e.dta_mpin_gt_bytes(),
    hash: e.dta_mpin_hash_bytes(),
    key: e.dta_mpin_key_bytes(),
    random: e.dta_mpin_random_bytes(),
    maxPin: e.dta_mpin_max_pin(),
  });
  const v = validators(sizes);
  const ops = { ctx, e, sizes, v };
  return Object.freeze({
    sizes,
    today: (nowMs: number = Date.now()): number => Math.floor(nowMs / DAY_MS),
    randomScalar: (random?: Uint8Array) => randomScalar(ops, 'mpin.randomScalar', random),
    masterSecret: (random?: Uint8Array) => randomScalar(ops, 'mpin.masterSecret', random),
    hashId: (id: Uint8Array) =>
      callOut(ctx, 'mpin.hashId', sizes.hash, (out, a) => {
        const b = v.id('mpin.hashId', id);
        return e.dta_mpin_hash_id(out, a.put(b), b.length);
      }),
    mapToG1: (hid: Uint8Array) =>
      callOut(ctx, 'mpin.mapToG1', sizes.g1, (out, a) => e.dta_mpin_map_to_g1(out, a.put(v.hid('mpin.mapToG1', hid)))),
    ...issuing(ops),
    ...factors(ops),
    ...twoPass(ops),
    ...onePass(ops),
    ...full(ops),
  });
}

/**
 * A module built without M-Pin (an older wasm/dta.wasm): the rest of the
 * core still loads, and every M-Pin call throws a DtaError saying why.
 */
function unavailable(missing: readonly string[]): MpinApi {
  const fail = (): never => {
    throw new DtaError(`mpin: the module lacks ${missing.length} M-Pin export(s) (${missing[0]}, ...): rebuild wasm/dta.wasm`);
  };
  return new Proxy(Object.freeze({}), {
    get: (_target, key) => (typeof key === 'string' && key !== 'then' ? fail : undefined),
  }) as MpinApi;
}

/** Input checks in Milagro's sizes; each names the API function. */
function validators(s: MpinSizes) {
  return {
    id: (w: string, x: unknown) => bytes(w, 'id', x),
    hid: (w: string, x: unknown) => bytes(w, 'hid', x, s.hash),
    scalar: (w: string, what: string, x: unknown) => bytes(w, what, x, s.scalar),
    g1: (w: string, what: string, x: unknown) => bytes(w, what, x, s.g1),
    g2: (w: string, what: string, x: unknown) => bytes(w, what, x, s.g2),
    gt: (w: string, what: string, x: unknown) => bytes(w, what, x, s.gt),
    pin: (w: string, x: unknown) => integer(w, 'pin', x, 0, s.maxPin - 1),
    date: (w: string, x: unknown) => (x === undefined ? 0 : integer(w, 'date', x, 0, U32_MAX)),
    time: (w: string, x: unknown) => integer(w, 'time', x, 0, U32_MAX),
    message: (w: string, x: unknown) => (x === undefined ? new Uint8Array(0) : bytes(w, 'message', x)),
  };
}

interface Ops {
  readonly ctx: Context;
  readonly e: MpinExports;
  readonly sizes: MpinSizes;
  readonly v: ReturnType<typeof validators>;
}

/** The functions that take named arguments need an object. */
function argsObject(where: string, args: unknown): void {
  if (typeof args !== 'object' || args === null) throw new BadArgumentError(`${where}: expected an argument object`);
}

/** Copies an optional input in, or passes NULL. */
function putOpt(a: Arena, x: Uint8Array | undefined): Ptr {
  return x === undefined ? 0 : a.put(x);
}

/** `x` when it is given, else a fresh random scalar. */
function scalarOr(o: Ops, where: string, what: string, x: Uint8Array | undefined): Uint8Array {
  return x === undefined ? randomScalar(o, where) : o.v.scalar(where, what, x);
}

function randomScalar(o: Ops, where: string, random?: Uint8Array): Uint8Array {
  const r = random === undefined ? randomBytes(o.sizes.random) : bytes(where, 'random', random, o.sizes.random);
  try {
    return callOut(o.ctx, where, o.sizes.scalar, (out, a) => o.e.dta_mpin_random_scalar(out, a.put(r)));
  } finally {
    if (random === undefined) r.fill(0);
  }
}

function issuing(o: Ops) {
  const { ctx, e, sizes, v } = o;
  const recombine = (where: string, len: number, fn: (out: Ptr, shares: Ptr, n: number) => Err) =>
    (shares: readonly Uint8Array[]): Uint8Array => {
      const list = byteList(where, 'shares', shares, len);
      return callOut(ctx, where, len, (out, a) => fn(out, a.putConcat(list), list.length));
    };
  return {
    serverSecret: (s: Uint8Array) =>
      callOut(ctx, 'mpin.serverSecret', sizes.g2, (out, a) =>
        e.dta_mpin_server_secret(out, a.put(v.scalar('mpin.serverSecret', 'masterSecret', s)))),
    clientSecret: (s: Uint8Array, hid: Uint8Array) =>
      callOut(ctx, 'mpin.clientSecret', sizes.g1, (out, a) =>
        e.dta_mpin_client_secret(out, a.put(v.scalar('mpin.clientSecret', 'masterSecret', s)),
          a.put(v.hid('mpin.clientSecret', hid)))),
    clientPermit: (date: number, s: Uint8Array, hid: Uint8Array) =>
      callOut(ctx, 'mpin.clientPermit', sizes.g1, (out, a) =>
        e.dta_mpin_client_permit(out, integer('mpin.clientPermit', 'date', date, 1, U32_MAX),
          a.put(v.scalar('mpin.clientPermit', 'masterSecret', s)), a.put(v.hid('mpin.clientPermit', hid)))),
    recombineG1: recombine('mpin.recombineG1', sizes.g1, e.dta_mpin_recombine_g1),
    recombineG2: recombine('mpin.recombineG2', sizes.g2, e.dta_mpin_recombine_g2),
    g1Mul: (k: Uint8Array, p: Uint8Array) =>
      callOut(ctx, 'mpin.g1Mul', sizes.g1, (out, a) =>
        e.dta_mpin_g1_mul(out, a.put(v.scalar('mpin.g1Mul', 'k', k)), a.put(v.g1('mpin.g1Mul', 'p', p)))),
  };
}

function factors(o: Ops) {
  const { ctx, e, sizes, v } = o;
  type PinFn = (out: Ptr, id: Ptr, idLen: number, pin: number, cs: Ptr) => Err;
  type FactorFn = (out: Ptr, id: Ptr, idLen: number, f: number, bits: number, cs: Ptr) => Err;
  const pin = (where: string, fn: PinFn) => (id: Uint8Array, p: number, point: Uint8Array) => {
    const b = v.id(where, id);
    const n = v.pin(where, p);
    const pt = v.g1(where, 'point', point);
    return callOut(ctx, where, sizes.g1, (out, a) => fn(out, a.put(b), b.length, n, a.put(pt)));
  };
  const factor = (where: string, fn: FactorFn) => (id: Uint8Array, f: number, bits: number, point: Uint8Array) => {
    const b = v.id(where, id);
    const nb = integer(where, 'bits', bits, 1, 32);
    const nf = integer(where, 'factor', f, 0, 2 ** nb - 1);
    const pt = v.g1(where, 'point', point);
    return callOut(ctx, where, sizes.g1, (out, a) => fn(out, a.put(b), b.length, nf, nb, a.put(pt)));
  };
  return {
    extractPin: pin('mpin.extractPin', e.dta_mpin_extract_pin),
    restorePin: pin('mpin.restorePin', e.dta_mpin_restore_pin),
    extractFactor: factor('mpin.extractFactor', e.dta_mpin_extract_factor),
    restoreFactor: factor('mpin.restoreFactor', e.dta_mpin_restore_factor),
  };
}

/** The checked inputs of a client's pass 1 (two-pass and one-pass). */
function client1Inputs(o: Ops, where: string, args: MpinClient1Args) {
  const { v } = o;
  argsObject(where, args);
  const date = v.date(where, args.date);
  return {
    id: v.id(where, args.id),
    pin: v.pin(where, args.pin),
    token: v.g1(where, 'token', args.token),
    date,
    permit: date === 0 ? undefined : v.g1(where, 'permit', args.permit),
    x: scalarOr(o, where, 'x', args.x),
  };
}

function twoPass(o: Ops) {
  const { ctx, e, sizes, v } = o;
  const g1 = sizes.g1;
  return {
    client1(args: MpinClient1Args): MpinClientPass1 {
      const i = client1Inputs(o, 'mpin.client1', args);
      return ctx.arena.run((a) => {
        const sec = a.alloc(g1), u = a.alloc(g1), ut = i.date === 0 ? 0 : a.alloc(g1);
        check(e.dta_mpin_client_1(sec, u, ut, a.put(i.id), i.id.length, i.date, a.put(i.x), i.pin, a.put(i.token),
          putOpt(a, i.permit)), 'mpin.client1');
        return { x: i.x, sec: a.read(sec, g1), u: a.read(u, g1), ...(ut ? { ut: a.read(ut, g1) } : {}) };
      });
    },
    client2: (x: Uint8Array, y: Uint8Array, sec: Uint8Array) =>
      callOut(ctx, 'mpin.client2', g1, (out, a) =>
        e.dta_mpin_client_2(out, a.put(v.scalar('mpin.client2', 'x', x)), a.put(v.scalar('mpin.client2', 'y', y)),
          a.put(v.g1('mpin.client2', 'sec', sec)))),
    server1(id: Uint8Array, date?: number): MpinServerPass1 {
      const b = v.id('mpin.server1', id);
      const d = v.date('mpin.server1', date);
      return ctx.arena.run((a) => {
        const hid = a.alloc(g1), htid = d === 0 ? 0 : a.alloc(g1);
        check(e.dta_mpin_server_1(hid, htid, a.put(b), b.length, d), 'mpin.server1');
        return { hid: a.read(hid, g1), ...(htid ? { htid: a.read(htid, g1) } : {}) };
      });
    },
    server2(args: MpinServer2Args): boolean {
      const w = 'mpin.server2';
      argsObject(w, args);
      const d = v.date(w, args.date);
      const hid = d === 0 ? v.g1(w, 'hid', args.hid) : undefined;
      const htid = d === 0 ? undefined : v.g1(w, 'htid', args.htid);
      const u = d === 0 ? v.g1(w, 'u', args.u) : undefined;
      const ut = d === 0 ? undefined : v.g1(w, 'ut', args.ut);
      const y = v.scalar(w, 'y', args.y), ss = v.g2(w, 'serverSecret', args.serverSecret), vv = v.g1(w, 'v', args.v);
      const pa = args.pa === undefined ? undefined : v.g2(w, 'pa', args.pa);
      return callVerify(ctx, w, (a) =>
        e.dta_mpin_server_2(d, putOpt(a, hid), putOpt(a, htid), a.put(y), a.put(ss), putOpt(a, u), putOpt(a, ut),
          a.put(vv), putOpt(a, pa)));
    },
  };
}

function onePass(o: Ops) {
  const { ctx, e, sizes, v } = o;
  const g1 = sizes.g1;
  return {
    challenge(time: number, u: Uint8Array, message?: Uint8Array): Uint8Array {
      const w = 'mpin.challenge';
      const t = v.time(w, time), ub = v.g1(w, 'u', u), m = v.message(w, message);
      return callOut(ctx, w, sizes.scalar, (out, a) => e.dta_mpin_challenge(out, t, a.put(ub), a.put(m), m.length));
    },
    client(args: MpinClientArgs): MpinClientResult {
      const w = 'mpin.client';
      const i = client1Inputs(o, w, args);
      const t = v.time(w, args.time), m = v.message(w, args.message);
      return ctx.arena.run((a) => {
        const vv = a.alloc(g1), u = a.alloc(g1), ut = i.date === 0 ? 0 : a.alloc(g1), y = a.alloc(sizes.scalar);
        check(e.dta_mpin_client(vv, u, ut, y, a.put(i.id), i.id.length, i.date, a.put(i.x), i.pin, a.put(i.token),
          putOpt(a, i.permit), t, a.put(m), m.length), w);
        return {
          x: i.x, u: a.read(u, g1), ...(ut ? { ut: a.read(ut, g1) } : {}), v: a.read(vv, g1),
          y: a.read(y, sizes.scalar),
        };
      });
    },
    server(args: MpinServerArgs): boolean {
      const w = 'mpin.server';
      argsObject(w, args);
      const id = v.id(w, args.id), d = v.date(w, args.date), t = v.time(w, args.time), m = v.message(w, args.message);
      const u = d === 0 ? v.g1(w, 'u', args.u) : undefined;
      const ut = d === 0 ? undefined : v.g1(w, 'ut', args.ut);
      const ss = v.g2(w, 'serverSecret', args.serverSecret), vv = v.g1(w, 'v', args.v);
      const pa = args.pa === undefined ? undefined : v.g2(w, 'pa', args.pa);
      return callVerify(ctx, w, (a) =>
        e.dta_mpin_server(a.put(id), id.length, d, t, a.put(ss), putOpt(a, u), putOpt(a, ut), a.put(vv), a.put(m),
          m.length, putOpt(a, pa)));
    },
    dvsKeyPair(z?: Uint8Array) {
      const zz = scalarOr(o, 'mpin.dvsKeyPair', 'z', z);
      const pa = callOut(ctx, 'mpin.dvsKeyPair', sizes.g2, (out, a) => e.dta_mpin_dvs_keypair(out, a.put(zz)));
      return { z: zz, pa };
    },
  };
}

function full(o: Ops) {
  const { ctx, e, sizes, v } = o;
  return {
    pinErrorValues(args: MpinPinErrorArgs): MpinPinErrorValues {
      const w = 'mpin.pinErrorValues';
      argsObject(w, args);
      const d = v.date(w, args.date);
      const hid = v.g1(w, 'hid', args.hid), u = v.g1(w, 'u', args.u);
      const htid = d === 0 ? undefined : v.g1(w, 'htid', args.htid);
      const ut = d === 0 ? undefined : v.g1(w, 'ut', args.ut);
      const y = v.scalar(w, 'y', args.y), ss = v.g2(w, 'serverSecret', args.serverSecret), vv = v.g1(w, 'v', args.v);
      return ctx.arena.run((a) => {
        const eo = a.alloc(sizes.gt), fo = a.alloc(sizes.gt);
        check(e.dta_mpin_pin_error_values(eo, fo, d, a.put(hid), putOpt(a, htid), a.put(y), a.put(ss), a.put(u),
          putOpt(a, ut), a.put(vv)), w);
        return { e: a.read(eo, sizes.gt), f: a.read(fo, sizes.gt) };
      });
    },
    pinError(values: MpinPinErrorValues): number | undefined {
      const w = 'mpin.pinError';
      argsObject(w, values);
      const ev = v.gt(w, 'e', values.e), fv = v.gt(w, 'f', values.f);
      return ctx.arena.run((a) => {
        const out = a.alloc(4);
        const code = e.dta_mpin_pin_error(out, a.put(ev), a.put(fv));
        if (code === ErrorCode.VERIFY_FAIL) return undefined;
        check(code, w);
        return new DataView(a.read(out, 4).buffer).getInt32(0, true);
      });
    },
    pairing: (p: Uint8Array, q: Uint8Array) =>
      callOut(ctx, 'mpin.pairing', sizes.gt, (out, a) =>
        e.dta_mpin_pairing(out, a.put(v.g1('mpin.pairing', 'p', p)), a.put(v.g2('mpin.pairing', 'q', q)))),
    precompute(token: Uint8Array, hid: Uint8Array, pa?: Uint8Array): MpinPrecomputed {
      const w = 'mpin.precompute';
      const tk = v.g1(w, 'token', token), h = v.hid(w, hid);
      const cp = pa === undefined ? undefined : v.g2(w, 'pa', pa);
      return ctx.arena.run((a) => {
        const g1pre = a.alloc(sizes.gt), g2pre = a.alloc(sizes.gt);
        check(e.dta_mpin_precompute(g1pre, g2pre, a.put(tk), a.put(h), putOpt(a, cp)), w);
        return { g1pre: a.read(g1pre, sizes.gt), g2pre: a.read(g2pre, sizes.gt) };
      });
    },
    hashAll(args: MpinHashAllArgs): Uint8Array {
      const w = 'mpin.hashAll';
      argsObject(w, args);
      const hid = v.hid(w, args.hid);
      const ut = args.ut === undefined ? undefined : v.g1(w, 'ut', args.ut);
      const u = ut === undefined ? v.g1(w, 'u', args.u) : undefined;
      const vv = v.g1(w, 'v', args.v), y = v.scalar(w, 'y', args.y), z = v.g1(w, 'z', args.z), t = v.g1(w, 't', args.t);
      return callOut(ctx, w, sizes.hash, (out, a) =>
        e.dta_mpin_hash_all(out, a.put(hid), putOpt(a, u), putOpt(a, ut), a.put(vv), a.put(y), a.put(z), a.put(t)));
    },
    clientKey(args: MpinClientKeyArgs): Uint8Array {
      const w = 'mpin.clientKey';
      argsObject(w, args);
      const g1pre = v.gt(w, 'g1pre', args.g1pre), g2pre = v.gt(w, 'g2pre', args.g2pre), pin = v.pin(w, args.pin);
      const r = v.scalar(w, 'r', args.r), x = v.scalar(w, 'x', args.x), h = v.scalar(w, 'h', args.h);
      const t = v.g1(w, 't', args.t);
      return callOut(ctx, w, sizes.key, (out, a) =>
        e.dta_mpin_client_key(out, a.put(g1pre), a.put(g2pre), pin, a.put(r), a.put(x), a.put(h), a.put(t)));
    },
    serverKey(args: MpinServerKeyArgs): Uint8Array {
      const w = 'mpin.serverKey';
      argsObject(w, args);
      const z = v.g1(w, 'z', args.z), ss = v.g2(w, 'serverSecret', args.serverSecret);
      const ws = v.scalar(w, 'w', args.w), h = v.scalar(w, 'h', args.h), hid = v.g1(w, 'hid', args.hid);
      const ut = args.ut === undefined ? undefined : v.g1(w, 'ut', args.ut);
      const u = ut === undefined ? v.g1(w, 'u', args.u) : undefined;
      return callOut(ctx, w, sizes.key, (out, a) =>
        e.dta_mpin_server_key(out, a.put(z), a.put(ss), a.put(ws), a.put(h), a.put(hid), putOpt(a, u), putOpt(a, ut)));
    },
  };
}
