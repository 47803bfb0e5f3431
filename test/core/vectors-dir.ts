/**
 * Where the published vectors are: ../shared/vectors from the repo root, or
 * $DTA_VECTORS. Suites that need them skip with a message when the folder
 * is absent, and fail instead when $CI is set.
 * @module
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const VECTORS =
  process.env['DTA_VECTORS'] ?? fileURLToPath(new URL('../../../shared/vectors/', import.meta.url));

export const haveVectors = existsSync(VECTORS);

if (!haveVectors) {
  const message = `published test vectors not found at ${VECTORS} (set DTA_VECTORS)`;
  if (process.env['CI']) throw new Error(message);
  console.warn(`${message}: vector tests are skipped`);
}
