/**
 * The witnesses check on the node's newest cosigned checkpoint, for when its latest carries no cosignature: under
 * steady traffic the latest checkpoint moves on before its witnesses answer, and the node serves the newest one
 * they did cosign (GET /v1/log/checkpoint/cosigned). Its cosignatures vouch for the latest only if the latest
 * extends it, so it counts when it is a checkpoint of this log signed by the log key, not larger than the latest,
 * and an RFC 9162 consistency proof computed here from the node's tiles leads from its root to the latest's.
 * Anything else is the node contradicting itself (two signed checkpoints that cannot both be its log): failed,
 * with both notes and the proof as evidence.
 * @module
 */
import type { LogKey } from '../../core/api/log-proof.ts';
import { toBase64 } from '../../core/bytes.ts';
import { consistencyProof, type HashReader, verifyConsistency } from '../../core/tlog/merkle.ts';
import { checkCheckpoint } from './checkpoint.ts';
import { type AuditCheck, failed, unknown } from './checks.ts';
import type { NotedCheckpoint } from './consistency.ts';
import { problemOf } from './problem.ts';
import { checkWitnesses, type KnownWitness } from './witnesses.ts';

const KIND = 'witnesses';

const noted = (c: NotedCheckpoint) => ({ size: c.size, root: toBase64(c.root), note: c.note });

function contradiction(reason: string, cosigned: NotedCheckpoint, latest: NotedCheckpoint, proof?: Uint8Array[]) {
  return failed(KIND, reason, {
    cosigned: noted(cosigned),
    latest: noted(latest),
    ...(proof ? { consistencyProof: proof.map(toBase64) } : {}),
  });
}

/** The proof from `cosigned` to `latest` from the tiles; an AuditCheck when it cannot be had or does not hold. */
async function extension(
  cosigned: NotedCheckpoint,
  latest: NotedCheckpoint,
  read: HashReader,
): Promise<AuditCheck | undefined> {
  let proof: Uint8Array[] = [];
  try {
    if (latest.size > cosigned.size) proof = await consistencyProof(cosigned.size, latest.size, read);
  } catch (e) {
    const problem = problemOf(e);
    if (problem.proven) {
      return contradiction(`The node's tiles contradict its checkpoints: ${problem.message}`, cosigned, latest);
    }
    return unknown(KIND, `Could not read the node's tiles to compare its cosigned checkpoint: ${problem.message}`);
  }
  try {
    verifyConsistency(cosigned.size, latest.size, proof, cosigned.root, latest.root);
    return undefined;
  } catch {
    const reason =
      `The checkpoint of ${cosigned.size} entries the witnesses cosigned is not part of the node's latest ` +
      `log of ${latest.size}: the node signed two histories.`;
    return contradiction(reason, cosigned, latest, proof);
  }
}

/**
 * `note`: what the node serves as its newest cosigned checkpoint; `latest`: its latest checkpoint, verified;
 * `read`: the node's tree from its tiles, at the latest's size.
 */
export async function checkCosignedWitnesses(
  note: string,
  latest: NotedCheckpoint,
  key: LogKey,
  witnesses: readonly KnownWitness[],
  read: HashReader,
): Promise<AuditCheck> {
  const { check, checkpoint: cosigned } = checkCheckpoint(note, key);
  if (!cosigned) {
    return failed(KIND, `The node's cosigned checkpoint cannot be trusted: ${check.reason}`, check.evidence ?? {});
  }
  if (cosigned.size > latest.size) {
    const reason =
      `The node's latest checkpoint (${latest.size} entries) is older than the one its witnesses cosigned ` +
      `(${cosigned.size}): a rollback.`;
    return contradiction(reason, cosigned, latest);
  }
  const broken = await extension(cosigned, latest, read);
  if (broken) return broken;
  const witnessed = checkWitnesses(note, key, witnesses);
  const which =
    cosigned.size === latest.size
      ? `The latest checkpoint (${latest.size} entries)`
      : `Checkpoint ${cosigned.size}, which the latest (${latest.size} entries) extends,`;
  if (witnessed.status === 'ok') return { ...witnessed, reason: `${which} is ${lowerFirst(witnessed.reason)}` };
  return witnessed;
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
