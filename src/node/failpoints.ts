/**
 * Crash points for the crash-safety tests: when DTA_FAILPOINT names a
 * point ("order:after-plugin", "redeem:after-commit", ...), the process kills itself with SIGKILL the moment it gets there,
 * exactly like `kill -9` at the worst possible time. Unset (always, outside
 * tests) this is a no-op.
 * @module
 */
export type Failpoint =
  | `${'order' | 'redeem'}:${'after-plugin' | 'after-commit'}`
  /** The principal's check-in or cancel is committed (orders.ts). */
  | `${'check-in' | 'cancel'}:after-commit`
  /** The step's write-ahead record is on disk, its plugin not run yet (order-admission.ts). */
  | `${'order' | 'redeem' | 'check-in' | 'cancel'}:after-record`
  /** The log's entries are on disk, the checkpoint over them not signed yet (log/node-log.ts). */
  | 'log:after-write'
  /** The log's entries and checkpoint inserted in PostgreSQL, the transaction not committed (log/postgres-log.ts). */
  | 'log:before-commit'
  /** A DKG state is on disk, the reply carrying its envelope not sent yet (dkg/runner.ts). */
  | 'dkg:after-store'
  /** Order blocks queued for Helia after their commit, the first batch not written yet (storage/block-queue.ts). */
  | 'blocks:before-write';

const armed = process.env.DTA_FAILPOINT;

export function failpoint(name: Failpoint): void {
  if (armed === name) process.kill(process.pid, 'SIGKILL');
}

/** A fault a test arms the same way to make the node lie rather than die (e.g. deal a wrong subshare). */
export type Fault = 'custody:wrong-subshare';

export function faultArmed(name: Fault): boolean {
  return armed === name;
}
