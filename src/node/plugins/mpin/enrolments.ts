/**
 * The enrolments an issuer gave a client-secret share for: one per
 * (identity, enrolment n), recorded durably before the share leaves (an
 * append-only log per identity, append-log.ts: entry n = the CID of the
 * request that got the share of enrolment n). So:
 *  - a second request for the same M-Pin ID is refused (409 already_issued),
 *    after a crash and a restart too; the same request again (a request the
 *    node crashed on before committing its reply) gets its share again;
 *  - enrolling again takes n = current + 1, and recording it revokes the
 *    older enrolments here: the issuer gives them no permit, and tells the
 *    authentication servers which enrolment is current;
 *  - enrolment 0 (the identity CID alone, issued before these records
 *    existed, maybe more than once) is never issued again; it stays current
 *    until the identity enrols with n = 1.
 * @module
 */
import { CID } from 'multiformats/cid';
import { MpinError } from '../../../plugins/mpin/errors.ts';
import { canonicalIdentity } from '../../../plugins/mpin/id.ts';
import type { AppendLog } from './append-log.ts';

const keyOf = (identity: CID): string => `enrolment/${canonicalIdentity(identity)}`;

export class Enrolments {
  readonly #log: AppendLog;

  constructor(log: AppendLog) {
    this.#log = log;
  }

  /** The identity's current enrolment here (0 when none was recorded). */
  async current(identity: CID): Promise<number> {
    return (await this.#log.last(keyOf(identity))).index;
  }

  /** Records enrolment `n` for the request `request`, or refuses; resolves once the record is on disk. */
  record(identity: CID, n: number, request: CID): Promise<void> {
    const mine = request.bytes;
    return this.#log.update(keyOf(identity), async (last) => {
      if (n === 0) {
        throw new MpinError(
          'bad_request',
          'enrolment 0 (the identity CID alone) is no longer issued: enrol with n = 1',
        );
      }
      if (n === last.index + 1) return { append: mine, result: undefined };
      if (n > last.index) {
        throw new MpinError('bad_request', `enrolment ${n}: the next one of this identity here is ${last.index + 1}`);
      }
      const kept = await this.#log.get(keyOf(identity), n);
      // The same request again (the node crashed before committing its reply): the same share again.
      if (kept !== undefined && CID.decode(kept).equals(request)) return { result: undefined };
      throw new MpinError(
        'already_issued',
        `enrolment ${n} of this identity got its client-secret share already: ` +
          `enrol again with enrolment ${last.index + 1}`,
      );
    });
  }
}
