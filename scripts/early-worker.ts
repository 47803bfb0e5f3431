/**
 * Cold start (issue 14, Deliver 6): the first script of the built index.html spawns the app worker. The page's
 * entry is a module, and a module runs only once its whole static graph has been fetched, parsed and linked
 * (about 330 kB); this script, inline right after `<meta charset>`, is a few hundred bytes with no imports, so it
 * runs as soon as the parser reaches it, and the worker's thread, its script and the wasm start while the page's
 * graph loads. Inline rather than a file of its own: that file's request went out with the page's six others once
 * the renderer had started, and took 65-130 ms to arrive though the server answered it in 3.
 *
 * The page adopts the worker through `dtaEarlyAppWorker()` (src/worker/app-worker-client.ts), which hands it over
 * once. A worker may report its start before the page listens, and a worker's message with nobody listening is
 * lost: until then this script keeps the worker's `message` and `error` events, and hands them over with it.
 * The page's Content-Security-Policy allows scripts from its origin, and this one by its hash: the node hashes the
 * inline scripts of the index.html it serves (src/node/http/app-headers.ts, `inlineScriptHashes`).
 * @module
 */

/** The global the early script sets and src/worker/app-worker-client.ts reads. */
const ADOPT = 'dtaEarlyAppWorker';

/** The mark bench/app.ts prints as "app worker spawned" (src/worker/app-worker-client.ts sets it without us). */
const SPAWN_MARK = 'dta:worker-spawn';

/** The script's text: `workerUrl` is the app worker's built script, as the page's own `new Worker` names it. */
function earlyWorkerSource(workerUrl: string): string {
  const url = JSON.stringify(workerUrl);
  return `
// dta: spawns the app worker before the page's modules load (scripts/early-worker.ts).
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

/** The early script's text for the app worker built as `workerFile` (under `base`), to go inline in index.html. */
export function earlyWorkerScript(base: string, workerFile: string): string {
  return earlyWorkerSource(`${base}${workerFile}`);
}
