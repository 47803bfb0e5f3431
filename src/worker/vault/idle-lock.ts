/**
 * Idle auto-lock: the vault locks itself (wiping the unlocked identity's keys) when the person has not used the
 * app for a while. The page reports activity (touch); the countdown runs here in the worker, and the deadline is
 * also checked whenever the keys are about to be used, so a timer delayed in a background tab locks no later.
 * @module
 */
import { VaultError } from './errors.ts';

const AUTO_LOCK_DEFAULT_MS = 15 * 60_000;
/** Six seconds (0.1 minute): short enough for a demonstration, long enough not to lock mid-click. */
const AUTO_LOCK_MIN_MS = 6_000;
const AUTO_LOCK_MAX_MS = 24 * 60 * 60_000;

export interface IdleLock {
  /** The idle time before locking (ms). */
  readonly ms: () => number;
  /** Sets the idle time; a VaultError outside 6 s .. 24 h. Restarts a running countdown. */
  configure(ms: number): void;
  /** (Re)starts the countdown; ms left. */
  touch(): number;
  /** ms until the lock, or null when no countdown runs. */
  left(): number | null;
  /** True (and locks) when the deadline has passed. */
  expired(): boolean;
  /** Stops the countdown (on lock). */
  stop(): void;
}

/** A valid idle time, or the default for anything stored that is not one. */
export function autoLockMs(stored: unknown): number {
  return typeof stored === 'number' && stored >= AUTO_LOCK_MIN_MS && stored <= AUTO_LOCK_MAX_MS
    ? stored
    : AUTO_LOCK_DEFAULT_MS;
}

export function createIdleLock(lock: () => void, initialMs: number): IdleLock {
  let ms = autoLockMs(initialMs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let deadline = Number.POSITIVE_INFINITY;
  const stop = () => {
    clearTimeout(timer);
    timer = undefined;
    deadline = Number.POSITIVE_INFINITY;
  };
  const touch = () => {
    stop();
    deadline = Date.now() + ms;
    timer = setTimeout(lock, ms);
    return ms;
  };
  return {
    ms: () => ms,
    configure(next) {
      if (!Number.isFinite(next) || next < AUTO_LOCK_MIN_MS || next > AUTO_LOCK_MAX_MS) {
        throw new VaultError('the auto-lock time must be between 0.1 minute and 24 hours');
      }
      ms = next;
      if (timer !== undefined) touch();
    },
    touch,
    left: () => (timer === undefined ? null : Math.max(0, deadline - Date.now())),
    expired() {
      if (Date.now() < deadline) return false;
      lock();
      return true;
    },
    stop,
  };
}
