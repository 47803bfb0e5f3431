/**
 * What a build pins about itself (vite.config.ts uses both halves):
 *
 *  - `manifestTransform`: every file the service worker precaches gets its Subresource Integrity (`sha256-…`) in
 *    the precache manifest inside sw.js; Workbox fetches it with that integrity, so a file whose bytes differ
 *    from the build's fails the install instead of being served;
 *  - `plugin`: after everything else is written (the service worker last), the build hash of the whole output
 *    goes to build-hash.json (scripts/build-hash.ts), which the app shows and the service worker's update
 *    consent check reads (public/sw-consent.js).
 * @module
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';
import { writeBuildHash } from './build-hash.ts';

/** A precache manifest entry as Workbox hands it to a transform (a URL relative to the build directory). */
interface PrecacheEntry {
  url: string;
  revision: string | null;
  integrity?: string;
  size: number;
}

export interface BuildIntegrity {
  /** Adds to VitePWA's plugins list, after VitePWA. */
  readonly plugin: Plugin;
  /** For VitePWA's `workbox.manifestTransforms`. */
  readonly manifestTransform: (entries: PrecacheEntry[]) => Promise<{ manifest: PrecacheEntry[] }>;
}

/** The SRI value of a file's bytes. */
function integrityOf(bytes: Uint8Array): string {
  return `sha256-${createHash('sha256').update(bytes).digest('base64')}`;
}

export function buildIntegrity(): BuildIntegrity {
  let outDir: string | undefined;
  let logger: ResolvedConfig['logger'] | undefined;
  const plugin: Plugin = {
    name: 'dta-build-integrity',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      logger = config.logger;
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler() {
        if (!outDir) return;
        const { hash, files } = await writeBuildHash(outDir);
        // What a release publishes (README, "Checking the app you run").
        logger?.info(`build hash ${hash} (${files} files, build-hash.json)`);
      },
    },
  };
  const manifestTransform = async (entries: PrecacheEntry[]) => {
    if (!outDir) throw new Error('build-integrity: the build directory is not known yet');
    const dir = outDir;
    const manifest = await Promise.all(
      entries.map(async (e) => ({ ...e, integrity: integrityOf(await readFile(resolve(dir, e.url))) })),
    );
    return { manifest };
  };
  return { plugin, manifestTransform };
}
