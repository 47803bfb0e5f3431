/**
 * DAG-JSON conventions for the command line: a CID is {"/": "<cid>"} and a
 * byte string is {"/": {"bytes": "<base64, unpadded>"}}, so any DAG-CBOR
 * content can be typed as JSON and every reply printed as JSON.
 * @module
 */
import { CID } from 'multiformats/cid';

/** JSON value (DAG-JSON conventions) to a DAG-CBOR value. */
export function fromDagJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromDagJson);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === '/') {
    const link = o['/'];
    if (typeof link === 'string') return CID.parse(link);
    const b = link as { bytes?: unknown };
    if (link && typeof link === 'object' && Object.keys(link).length === 1 && typeof b.bytes === 'string') {
      return new Uint8Array(Buffer.from(b.bytes, 'base64'));
    }
    throw new TypeError('bad {"/": ...} value: expected a CID string or {"bytes": base64}');
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = fromDagJson(o[k]);
  return out;
}

/** DAG-CBOR value to JSON (DAG-JSON conventions). */
export function toDagJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return { '/': { bytes: Buffer.from(value).toString('base64').replace(/=+$/, '') } };
  const cid = CID.asCID(value);
  if (cid) return { '/': cid.toString() };
  if (Array.isArray(value)) return value.map(toDagJson);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toDagJson(v);
  return out;
}
