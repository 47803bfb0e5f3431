/**
 * The body of a C2SP tlog-witness add-checkpoint request: `old <size>`, up
 * to 63 consistency proof lines (base64 hashes), an empty line, then the
 * signed checkpoint note. Parsed here (the witness) and written here (the
 * gatherer), so both ends agree on one format.
 * @module
 */
import { fromBase64, toBase64 } from '../../core/bytes.ts';
import { WitnessError } from './errors.ts';

export interface AddCheckpointRequest {
  readonly oldSize: number;
  readonly proof: readonly Uint8Array[];
  /** The checkpoint as a signed note (text, empty line, signature lines). */
  readonly note: string;
}

/** tlog-witness: "The client MUST NOT send more than 63 consistency proof lines." */
const MAX_PROOF_LINES = 63;
const HASH_BYTES = 32;
const SIZE = /^(0|[1-9][0-9]{0,15})$/;

/** A size in ASCII decimal with no leading zeroes, as the tlog specs write it; undefined when it is not one. */
export function parseSize(text: string): number | undefined {
  if (!SIZE.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function formatAddCheckpoint(req: AddCheckpointRequest): string {
  const proof = req.proof.map((h) => `${toBase64(h)}\n`).join('');
  return `old ${req.oldSize}\n${proof}\n${req.note}`;
}

/** Throws WitnessError('malformed') naming what is wrong; never quotes the body. */
export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  const firstEnd = body.indexOf('\n');
  const oldLine = firstEnd < 0 ? '' : body.slice(0, firstEnd);
  if (!oldLine.startsWith('old ')) throw malformed('the body must start with an "old <size>" line');
  const oldSize = parseSize(oldLine.slice(4));
  if (oldSize === undefined) throw malformed('the old size is not a decimal size without leading zeroes');
  const proof: Uint8Array[] = [];
  let at = firstEnd + 1;
  for (;;) {
    const end = body.indexOf('\n', at);
    if (end < 0) throw malformed('no empty line before the checkpoint');
    if (end === at) break;
    if (proof.length === MAX_PROOF_LINES) throw malformed(`more than ${MAX_PROOF_LINES} consistency proof lines`);
    proof.push(proofHash(body.slice(at, end), proof.length));
    at = end + 1;
  }
  if (oldSize === 0 && proof.length > 0) throw malformed('the proof must be empty when the old size is 0');
  return { oldSize, proof, note: body.slice(at + 1) };
}

function proofHash(line: string, i: number): Uint8Array {
  let hash: Uint8Array;
  try {
    hash = fromBase64(line, `proof line ${i + 1}`);
  } catch {
    throw malformed(`proof line ${i + 1} is not base64`);
  }
  if (hash.length !== HASH_BYTES) throw malformed(`proof line ${i + 1} is not a ${HASH_BYTES}-byte hash`);
  return hash;
}

const malformed = (message: string) => new WitnessError('malformed', `add-checkpoint: ${message}`);
