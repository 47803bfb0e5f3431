/**
 * Cold start (issue 14, Deliver 6): index.html asks for what the app worker needs to start (the chunks it imports
 * on start, the wasm) as soon as the HTML is parsed, in parallel with the page's own scripts, instead of
 * after the page has run and spawned the worker, and the worker has run and asked for the rest. The worker then
 * finds them in the HTTP cache (hashed /assets/ files are immutable).
 *
 * Two plugins (vite.config.ts): `worker` reads the app worker's own bundle (its chunks' import lists), `page`
 * writes one `<link rel="prefetch">` per file into the built index.html. Prefetch, not preload: a worker's requests
 * are not matched against the page's preloads (the HTTP cache is what they share), so Chromium would warn on every
 * load that each preload went unused; a prefetch only fills the HTTP cache, and with HTTP/1.1's six connections it
 * starts right after the page's scripts.
 *
 * The worker's own script is not prefetched: the build's first script spawns the worker at once (early-worker.ts,
 * put inline right after `<meta charset>` by `page`), and the worker fetches it.
 * @module
 */
import type { Plugin } from 'vite';
import { earlyWorkerScript } from './early-worker.ts';

/** What a chunk of a bundle says about itself (the part of Rolldown's OutputChunk used here). */
interface ChunkFacts {
  readonly type: 'chunk';
  readonly fileName: string;
  readonly facadeModuleId: string | null;
  readonly imports: readonly string[];
  readonly dynamicImports: readonly string[];
  readonly viteMetadata?: { readonly importedAssets: ReadonlySet<string> };
}

type BundleEntry = ChunkFacts | { readonly type: 'asset'; readonly fileName: string };

/** The worker the app starts first (src/worker/app-worker.ts). */
const APP_WORKER = /[\\/]src[\\/]worker[\\/]app-worker\.ts$/;

/** `name`, then every chunk it imports statically (transitively), each once. */
function staticClosure(bundle: Record<string, BundleEntry>, name: string, into: Set<string>): void {
  const chunk = bundle[name];
  if (into.has(name) || chunk?.type !== 'chunk') return;
  into.add(name);
  for (const imported of chunk.imports) staticClosure(bundle, imported, into);
}

/** The app worker's start: its script, and what it fetches before it can start. */
interface WorkerStart {
  readonly script: string;
  /**
   * The chunks its script imports (statically, or dynamically at its top: the bindings and the vault), what
   * those import statically, and the wasm they reference.
   */
  readonly files: readonly string[];
}

function workerStart(bundle: Record<string, BundleEntry>): WorkerStart | undefined {
  const entry = Object.values(bundle).find(
    (c): c is ChunkFacts => c.type === 'chunk' && APP_WORKER.test(c.facadeModuleId ?? ''),
  );
  if (!entry) return undefined;
  const chunks = new Set<string>();
  staticClosure(bundle, entry.fileName, chunks);
  for (const name of entry.dynamicImports) staticClosure(bundle, name, chunks);
  const wasm = [...chunks].flatMap((name) => {
    const chunk = bundle[name] as ChunkFacts;
    return [...(chunk.viteMetadata?.importedAssets ?? [])].filter((asset) => asset.endsWith('.wasm'));
  });
  chunks.delete(entry.fileName);
  // The wasm first: the longest to arrive and to compile.
  return { script: entry.fileName, files: [...new Set(wasm), ...chunks] };
}

export interface StartPreloads {
  /** For vite.config.ts's `worker.plugins`. */
  readonly worker: Plugin;
  /** For vite.config.ts's `plugins`. */
  readonly page: Plugin;
}

export function startPreloads(): StartPreloads {
  let start: WorkerStart | undefined;
  let base = '/';
  /** The early script, once the worker is built (it names the worker's script). */
  const earlyScript = (): string => {
    if (!start) throw new Error('start-preloads: the app worker was not built before index.html');
    return earlyWorkerScript(base, start.script);
  };
  const worker: Plugin = {
    name: 'dta-start-preloads-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      start = workerStart(bundle as unknown as Record<string, BundleEntry>) ?? start;
    },
  };
  const page: Plugin = {
    name: 'dta-start-preloads',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        // After `<meta charset>`, which must come within the document's first 1024 bytes.
        const charset = /<meta charset="utf-8" \/>\n/i;
        if (!charset.test(html)) throw new Error('start-preloads: index.html has no <meta charset="utf-8" />');
        const spawn = (meta: string) => `${meta}    <script>${earlyScript()}    </script>\n`;
        const prefetches = (start?.files ?? []).map((file) => ({
          tag: 'link',
          attrs: { rel: 'prefetch', href: `${base}${file}` },
          injectTo: 'head' as const,
        }));
        return { html: html.replace(charset, spawn), tags: prefetches };
      },
    },
  };
  return { worker, page };
}
