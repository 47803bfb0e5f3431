/**
 * A module hook (Node's module.register) for the "before" envelope rows of bench/kem.ts: importing
 * src/core/protocol/index.ts with the query `?noble` loads a second copy of the protocol's modules (every
 * src/core module it reaches gets the query too) in which src/core/crypto/xwing.ts is bench/noble-xwing.ts.
 * So the very same protocol code runs on noble's X-Wing beside the core's, in one process.
 * @module
 */

interface Resolved {
  readonly url: string;
}
interface ResolveContext {
  readonly parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<Resolved>;

const TAG = '?noble';
const replacement = new URL('./noble-xwing.ts', import.meta.url).href;

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<Resolved> {
  const tagged = specifier.endsWith(TAG) || (context.parentURL?.endsWith(TAG) ?? false);
  const resolved = await next(specifier.endsWith(TAG) ? specifier.slice(0, -TAG.length) : specifier, context);
  if (!tagged || !resolved.url.includes('/src/core/')) return resolved;
  if (resolved.url.endsWith('/src/core/crypto/xwing.ts')) return { ...resolved, url: replacement };
  return { ...resolved, url: resolved.url + TAG };
}
