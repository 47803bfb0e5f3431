/**
 * The page's half of the idle auto-lock: the person's input (pointer, keys, wheel, touch) restarts the worker's
 * countdown, at most once every two seconds; a timer set to the worker's deadline re-reads the vault then, so the
 * screen shows "locked" as soon as the worker has wiped the keys. The lock itself happens in the worker
 * (src/worker/vault/idle-lock.ts), whatever the page does.
 * @module
 */
import type { RemoteAppApi } from '../../worker/app-worker-client.ts';

const REPORT_EVERY_MS = 2_000;
const INPUT_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export interface IdleWatch {
  /** Re-arms the page's timer from the worker's deadline (after an unlock, say). */
  rearm(msLeft: number | null): void;
}

export function watchIdle(api: RemoteAppApi, onLocked: () => void): IdleWatch {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastReport = 0;
  const check = async () => {
    const left = await api.vault.idleLeft();
    if (left === null) onLocked();
    else rearm(left);
  };
  const rearm = (msLeft: number | null) => {
    clearTimeout(timer);
    timer = msLeft === null ? undefined : setTimeout(() => void check(), msLeft + 100);
  };
  const report = () => {
    const now = Date.now();
    if (timer === undefined || now - lastReport < REPORT_EVERY_MS) return;
    lastReport = now;
    void api.vault.touch().then(rearm);
  };
  for (const type of INPUT_EVENTS) addEventListener(type, report, { capture: true, passive: true });
  return { rearm };
}
