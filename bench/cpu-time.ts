/**
 * The CPU time a benchmark run costs, next to its wall time: this process's (process.cpuUsage) and that of the
 * `dta serve` children it talks to, read from /proc/<pid>/stat (utime + stime, all threads: the main thread, the
 * libuv pool doing the file system's work, the garbage collector). With five nodes and a client on a machine of
 * c cores, (client + nodes) / c is a floor under a run's wall time, whatever the parallelism of the requests.
 *
 * /proc counts in clock ticks of 10 ms (USER_HZ = 100 on Linux); summed over many runs the rounding averages out.
 * Elsewhere than Linux the children's time is unknown (undefined) and the rows leave it out.
 * @module
 */
import { readFileSync } from 'node:fs';

const MS_PER_TICK = 10;

/** CPU time (ms) of the process `pid` so far, or undefined when /proc cannot tell. */
function childCpuMs(pid: number): number | undefined {
  try {
    // Field 2 (the command) may hold spaces: count from the ')' that ends it; utime and stime are fields 14, 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return undefined;
  }
}

const ownCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** CPU time accumulated over the runs of one flow: this process and the children together. */
export class CpuTally {
  readonly #pids: readonly (number | undefined)[];
  #client = 0;
  #nodes: number | undefined = 0;
  #runs = 0;

  constructor(pids: readonly (number | undefined)[]) {
    this.#pids = pids;
  }

  #nodesNow(): number | undefined {
    let sum = 0;
    for (const pid of this.#pids) {
      const ms = pid === undefined ? undefined : childCpuMs(pid);
      if (ms === undefined) return undefined;
      sum += ms;
    }
    return sum;
  }

  /** Runs `run` and adds the CPU time it cost (read outside the caller's wall-clock timing). */
  async add<T>(run: () => Promise<T>): Promise<T> {
    const client0 = ownCpuMs();
    const nodes0 = this.#nodesNow();
    const value = await run();
    const nodes1 = this.#nodesNow();
    this.#client += ownCpuMs() - client0;
    this.#nodes =
      this.#nodes === undefined || nodes0 === undefined || nodes1 === undefined
        ? undefined
        : this.#nodes + nodes1 - nodes0;
    this.#runs++;
    return value;
  }

  /** Mean CPU ms per run: the client's, the nodes' together (undefined off Linux). */
  perRun(): { readonly clientMs: number; readonly nodesMs: number | undefined } {
    const n = Math.max(1, this.#runs);
    const round = (ms: number) => Math.round((ms / n) * 10) / 10;
    return { clientMs: round(this.#client), nodesMs: this.#nodes === undefined ? undefined : round(this.#nodes) };
  }
}
