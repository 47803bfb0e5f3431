/**
 * Why every vault value that holds a secret (a sealed record, a device key) carries 80 KiB of random padding.
 *
 * Chromium's IndexedDB keeps small values inside its LevelDB files, where a replaced or deleted value stays on
 * disk until a compaction that no page can trigger: measured in Chromium 156, a deleted database's records were
 * still in an `.ldb` file after the compaction its deletion asks for (LevelDB had flushed them one level below
 * the range it compacts). A value larger than Blink's wrapping threshold (64 KiB) is written instead to a file of
 * its own under the origin's `.indexeddb.blob/` folder, and that file is unlinked as soon as the value is replaced
 * or deleted; LevelDB then only holds a reference to it. The padding is random because Chromium may compress
 * values before it decides, and random bytes do not compress. It is never read back.
 * @module
 */

/** Comfortably over Blink's 64 KiB threshold. */
const PAD_BYTES = 80 * 1024;
/** crypto.getRandomValues fills at most 64 KiB a call. */
const RANDOM_CHUNK = 65_536;

/** Fresh random padding that makes the value it is stored with go to a file of its own. */
export function ownFilePadding(): Uint8Array {
  const pad = new Uint8Array(PAD_BYTES);
  for (let i = 0; i < pad.length; i += RANDOM_CHUNK) crypto.getRandomValues(pad.subarray(i, i + RANDOM_CHUNK));
  return pad;
}
