/**
 * Cold start (issue 14, Deliver 6): the first script of the built index.html spawns the app worker. The page's
 * entry is a module, and a module runs only once its whole static graph has been fetched, parsed and linked
 * (about 330 kB); this script is a few hundred bytes with no imports, loaded `async` from the top of `<head>`, so it
 * runs as soon as it arrives and the worker's thread, its script and the wasm start while the page's graph loads.
 *
 * The page adopts the worker through `dtaEarlyAppWorker()` (src/worker/app-worker-client.ts), which hands it over
 * once. A worker may report its start before the page listens, and a worker's message with nobody listening is
 * lost: until then this script keeps the worker's `message` and `error` events, and hands them over with it.
 * An external file, not an inline script: the page's Content-Security-Policy allows scripts from its origin only
 * (src/node/http/app-headers.ts).
 * @module
 */
import { createHash } from 'node:crypto';

/** The global the early script sets and src/worker/app-worker-client.ts reads. */
const ADOPT = 'dtaEarlyAppWorker';

/** The mark bench/app.ts prints as "app worker spawned" (src/worker/app-worker-client.ts sets it without us). */
const SPAWN_MARK = 'dta:worker-spawn';

/** The script's text: `workerUrl` is the app worker's built script, as the page's own `new Worker` names it. */
function earlyWorkerSource(workerUrl: string): string {
  const url = JSON.stringify(workerUrl);
  return `// dta: spawns the app worker before the page's modules load (scripts/early-worker.ts).
(() => {
  const spawnedAt = performance.mark(${JSON.stringify(SPAWN_MARK)}).startTime;
  try {
    const worker = new Worker(${url}, { type: "module", name: "dta-app" });
    const earlier = [];
    const keep = (event) => earlier.push(event);
    worker.addEventListener("message", keep);
    worker.addEventListener("error", keep);
    self.${ADOPT} = () => {
      delete self.${ADOPT};
      worker.removeEventListener("message", keep);
      worker.removeEventListener("error", keep);
      return { worker, earlier, spawnedAt };
    };
  } catch {
    // The page spawns the worker itself.
    performance.clearMarks(${JSON.stringify(SPAWN_MARK)});
  }
})();
`;
}

export interface EarlyWorkerScript {
  /** Where the script goes in the build (under assets/, named by its content like the bundle's files). */
  readonly fileName: string;
  readonly source: string;
}

/** The early script for the app worker built as `workerFile` (under `base`). */
export function earlyWorkerScript(base: string, workerFile: string): EarlyWorkerScript {
  const source = earlyWorkerSource(`${base}${workerFile}`);
  const hash = createHash('sha256').update(source).digest('base64url').slice(0, 8);
  return { fileName: `assets/spawn-app-worker-${hash}.js`, source };
}
