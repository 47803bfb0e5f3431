/**
 * What each identity has stored on this node, for its quotas (issue 13, F7): how many orders it made and how many
 * bytes they hold. One interface, so that one node keeps the counts in a file of its home (file-usage-store.ts)
 * and replicas of one node share them in PostgreSQL.
 *
 * `reserve` is the check and the count in one step, atomic per identity: it adds `orders` and `bytes` to the
 * identity's usage only when both stay within `limits` (a limit of 0 is no limit), and otherwise changes nothing
 * and names the limit that would be passed. `release` takes back what a reservation added (the step it was for
 * was refused). What the node counts, and when: order-admission.ts.
 *
 * The invariant both stores keep, whatever the moment of a crash: every recorded (pending, storage/pending.ts)
 * order step and every committed order holds exactly one reservation. A step is reserved once, when it is recorded;
 * its retry and its finishing at start reserve nothing; a refusal releases it, any other failure keeps it (the
 * step stays recorded, to be finished later); its commit adds the reply's bytes. PostgreSQL keeps the counts
 * through a crash; the file store counts them again from the committed orders and the recorded steps.
 * @module
 */

export interface UsageStore {
  reserve(
    identity: string,
    orders: number,
    bytes: number,
    limits: { orders: number; bytes: number },
  ): Promise<{ ok: true } | { ok: false; limit: 'orders' | 'bytes' }>;
  release(identity: string, orders: number, bytes: number): Promise<void>;
  usage(identity: string): Promise<{ orders: number; bytes: number }>;
}
