/**
 * Crash points for the crash-safety tests: when DTA_FAILPOINT names a
 * point ("order:after-plugin", "redeem:after-commit", ...), the process kills itself with SIGKILL the moment it gets there,
 * exactly like `kill -9` at the worst possible time. Unset (always, outside
 * tests) this is a no-op.
 * @module
 */
export type Failpoint =
  | `${'order' | 'redeem'}:${'after-plugin' | 'after-commit'}`
  /** The log's entries are on disk, the checkpoint over them not signed yet (log/node-log.ts). */
  | 'log:after-write';

const armed = process.env.DTA_FAILPOINT;

export function failpoint(name: Failpoint): void {
  if (armed === name) process.kill(process.pid, 'SIGKILL');
}
