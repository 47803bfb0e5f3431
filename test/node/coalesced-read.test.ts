// CoalescedRead (src/node/log/coalesced-read.ts): callers waiting together share one read, and none is answered by
// a read that started before it asked; a failed read fails its callers only, the next read runs for the rest.
import { describe, expect, it } from 'vitest';
import { CoalescedRead } from '../../src/node/log/coalesced-read.ts';

/** A read whose calls each wait for the test to finish them; `value` is what the next finished read returns. */
function controlledRead() {
  const pending: Array<{ resolve: (v: number) => void; reject: (e: unknown) => void }> = [];
  let value = 0;
  return {
    read: () => new Promise<number>((resolve, reject) => pending.push({ resolve, reject })),
    started: () => pending.length,
    finish: (v: number) => {
      value = v;
      pending.shift()!.resolve(value);
    },
    fail: () => pending.shift()!.reject(new Error('read failed')),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('a coalesced read', () => {
  it('answers each caller with a read that began after it asked, one read for all who waited together', async () => {
    const c = controlledRead();
    const shared = new CoalescedRead(c.read);
    const first = shared.get();
    await tick();
    const later = [shared.get(), shared.get(), shared.get()];
    await tick();
    expect(c.started()).toBe(1); // the three wait for the next read, not the running one
    c.finish(1);
    expect(await first).toBe(1);
    await tick();
    expect(c.started()).toBe(1);
    c.finish(2);
    expect(await Promise.all(later)).toEqual([2, 2, 2]);
  });

  it('a failed read fails only the callers it was for', async () => {
    const c = controlledRead();
    const shared = new CoalescedRead(c.read);
    const failing = shared.get();
    await tick();
    const after = shared.get();
    c.fail();
    await expect(failing).rejects.toThrow('read failed');
    await tick();
    c.finish(7);
    expect(await after).toBe(7);
  });
});
