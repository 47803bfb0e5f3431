/// <reference types="vite/client" />
/**
 * Milagro's published M-Pin vectors (BLS381.json) through the vector
 * runner's record checks: in Node against the core, and in Chromium against
 * the worker. The file is bundled by Vite from ../shared/vectors (relative
 * to the repo root); when it is absent the case says so and does nothing
 * (the Node vectors suite is the one that fails under CI).
 * @module
 */
import type { CoreLike } from '../../src/core/types.ts';
import { runAmclMpinJson } from '../../src/core/vectors/amcl-mpin-json.ts';
import { assert } from './lib/assert.ts';

const files = import.meta.glob('../../../shared/vectors/milagro/mpin/BLS381.json', {
  eager: true,
  query: '?raw',
  import: 'default',
}) as Record<string, string>;

export const mpinVectors = {
  "Milagro's BLS381.json: every record passes": async (core: CoreLike) => {
    const entries = Object.entries(files);
    if (entries.length === 0) {
      console.warn('mpin vectors: ../shared/vectors/milagro/mpin/BLS381.json not found, case skipped');
      return;
    }
    for (const [path, text] of entries) {
      const records = (JSON.parse(text) as unknown[]).length;
      const report = await runAmclMpinJson(core, path, text);
      assert(
        report.summary() === `${records} passed, 0 failed`,
        `${path}: ${report.lines().join('; ').slice(0, 2000)}`,
      );
    }
  },
};
