/**
 * Whether the node can serve orders now (GET /readyz): each dependency a
 * named probe that throws (or times out) when it cannot. A load balancer
 * takes a replica out while any probe fails; liveness (/healthz) asks
 * nothing of them, so a database outage never gets a healthy process killed.
 * @module
 */

/** Throws (with a short reason, no secret) when its dependency is not usable. */
export type Probe = () => Promise<void> | void;

export interface ReadinessReport {
  readonly ready: boolean;
  /** Each probe's name: "ok" or why it failed. */
  readonly checks: Readonly<Record<string, string>>;
}

/** A probe that has not answered within this is failed (an unreachable database can take minutes to time out). */
const PROBE_TIMEOUT_MS = 2000;

export class Readiness {
  readonly #probes = new Map<string, Probe>();

  /** Adds (or replaces) the probe named `name`. */
  add(name: string, probe: Probe): void {
    this.#probes.set(name, probe);
  }

  /** Runs every probe at once, each bounded by `timeoutMs`. */
  async check(timeoutMs = PROBE_TIMEOUT_MS): Promise<ReadinessReport> {
    const names = [...this.#probes.keys()];
    const results = await Promise.all([...this.#probes.values()].map((p) => outcome(p, timeoutMs)));
    const checks = Object.fromEntries(names.map((n, i) => [n, results[i]!]));
    return { ready: results.every((r) => r === 'ok'), checks };
  }
}

/** "ok", or the probe's failure as one short line (its message only: never a stack). */
async function outcome(probe: Probe, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  const run = (async () => {
    try {
      await probe();
      return 'ok';
    } catch (err) {
      const message = (err as Error)?.message;
      return typeof message === 'string' && message !== '' ? message.split('\n', 1)[0]!.slice(0, 200) : 'failed';
    }
  })();
  try {
    return await Promise.race([run, late]);
  } finally {
    clearTimeout(timer);
  }
}
