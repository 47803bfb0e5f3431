/**
 * Loaded with `node --import`: registers itself as a module hook (Node's module.register) that resolves
 * src/core/crypto/xwing.ts to bench/noble-xwing.ts, so that the very same protocol code runs on noble's
 * X-Wing. The "before" envelope rows of bench/kem.ts run in a child process started this way.
 * @module
 */
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

interface Resolved {
  readonly url: string;
}
type NextResolve = (specifier: string, context: unknown) => Promise<Resolved>;

const replacement = new URL('./noble-xwing.ts', import.meta.url).href;

export async function resolve(specifier: string, context: unknown, next: NextResolve): Promise<Resolved> {
  const resolved = await next(specifier, context);
  return resolved.url.endsWith('/src/core/crypto/xwing.ts') ? { ...resolved, url: replacement } : resolved;
}

// The hooks run on their own thread; only the --import on the main thread registers them.
if (isMainThread) register(import.meta.url);
