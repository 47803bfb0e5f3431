/**
 * A node's home is its owner's alone (issue 13, F7): the directory and every directory in it 0700, every file
 * 0600, whatever existed before. `dta init` and `dta serve` set the process umask to 077 first, so whatever the
 * node, Helia or a plugin creates is owner-only from then on, and walk the home once at start to repair what was
 * there: a home created beforehand with 0755 (as a service account's home often is), or files copied in by hand.
 *
 * The walk is bounded (`maxEntries`), follows no symbolic link (a link's own mode means nothing, and its target
 * may be outside the home) and leaves an entry owned by someone else as it is (chmod would fail: that is the
 * operator's to fix, and the count of such entries is reported).
 * @module
 */
import { chmod, lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';

/** The umask under which a node creates its files: nothing for group and others. */
const OWNER_ONLY_UMASK = 0o077;
/** Entries the walk looks at, at most (a home of a busy node holds about 14 files per order). */
const DEFAULT_MAX_ENTRIES = 2_000_000;

export interface PermissionRepair {
  /** Entries whose mode was changed. */
  readonly fixed: number;
  /** Entries looked at (the home included). */
  readonly checked: number;
  /** Entries that stay readable by others because chmod failed (owned by another user). */
  readonly failed: number;
  /** True when the walk stopped at `maxEntries`. */
  readonly truncated: boolean;
}

/**
 * What `dta init` and `dta serve` do first: the umask set to 077 for the rest of the process, then one repair walk
 * of the home, whose outcome is said in a line to `say` (nothing when there was nothing to repair).
 */
export async function ownerOnlyHome(home: string, say: (line: string) => void): Promise<PermissionRepair> {
  process.umask(OWNER_ONLY_UMASK);
  const r = await repairHomePermissions(home);
  if (r.fixed > 0) say(`dta: ${r.fixed} entries of ${home} were open to other users: now owner-only (0700/0600)`);
  if (r.failed > 0) say(`dta: ${r.failed} entries of ${home} could not be made owner-only (another owner?): fix them`);
  if (r.truncated) say(`dta: the permission check of ${home} stopped after ${r.checked} entries`);
  return r;
}

/** The mode an entry must have, or undefined when its current one is fine. */
function wantedMode(mode: number, isDir: boolean): number | undefined {
  const perms = mode & 0o7777;
  if (isDir) return perms === 0o700 ? undefined : 0o700;
  return (perms & 0o7077) === 0 ? undefined : 0o600;
}

/** Makes `home` and everything in it owner-only (see the module comment). */
async function repairHomePermissions(home: string, maxEntries = DEFAULT_MAX_ENTRIES): Promise<PermissionRepair> {
  const tally = { fixed: 0, checked: 0, failed: 0, truncated: false };
  const dirs = [home];
  while (dirs.length > 0) {
    const dir = dirs.pop()!;
    if (!(await repairOne(dir, true, tally))) continue;
    for await (const entry of await opendir(dir)) {
      if (tally.checked >= maxEntries) {
        tally.truncated = true;
        return tally;
      }
      const path = join(dir, entry.name);
      if (entry.isDirectory()) dirs.push(path);
      else if (entry.isFile()) await repairOne(path, false, tally);
    }
  }
  return tally;
}

/** Fixes one entry's mode; false when it is gone or could not be made owner-only. */
async function repairOne(path: string, isDir: boolean, tally: { fixed: number; checked: number; failed: number }) {
  tally.checked++;
  let mode: number;
  try {
    mode = (await lstat(path)).mode;
  } catch {
    return false; // removed meanwhile (a temporary file)
  }
  const wanted = wantedMode(mode, isDir);
  if (wanted === undefined) return true;
  try {
    await chmod(path, wanted);
    tally.fixed++;
    return true;
  } catch {
    tally.failed++;
    return false;
  }
}
