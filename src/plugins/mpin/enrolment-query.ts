/**
 * An issuer's answer to "which enrolment of this identity is current?"
 * (GET /v1/plugins/mpin/enrolment/<identity CID>): `{identity, enrolment}`,
 * 0 when the identity never enrolled with a record at that node (an old
 * enrolment, or none). Authentication servers ask every issuer of theirs
 * and refuse a login whose enrolment is older than the largest answer.
 * @module
 */
import { integer, struct, text } from '../../core/schema.ts';
import { parseMpinInput } from './codec.ts';
import { MpinError } from './errors.ts';
import { MAX_ENROLMENT } from './id.ts';

export interface EnrolmentReply {
  readonly identity: string;
  readonly enrolment: number;
}

const REPLY = struct({ identity: text({ maxBytes: 128 }), enrolment: integer(0, MAX_ENROLMENT) });

/** Checks the reply for `identity` (canonical CID string). */
export function parseEnrolmentReply(reply: unknown, identity: string): number {
  const o = parseMpinInput(REPLY, reply, 'enrolment');
  if (o.identity !== identity) throw new MpinError('malformed', 'enrolment: answers for another identity');
  return o.enrolment;
}
