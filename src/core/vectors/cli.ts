/**
 * Vector runner CLI:
 *   npm run vectors -- <kind> <path> [--wasm <file>]
 * kinds: rfc9380, eth-bls, amcl-bls, amcl-h2c, amcl-mpin, amcl-mpin-json (see the module of each).
 * Prints one line per failed record, then exactly `N passed, M failed`.
 * Exit status 0 when nothing failed, 1 when a record failed or the path is
 * unusable (with a one-line message, no stack trace), 2 for a usage error.
 * @module
 */
import { createCore } from '../index.ts';
import { describe } from './report.ts';
import { isVectorKind, KINDS, runVectors, VectorPathError } from './run.ts';

const USAGE = `usage: npm run vectors -- <${KINDS.join('|')}> <path> [--wasm <file>]`;

function parseArgs(argv: string[]): { kind: string; path: string; wasm?: string } | undefined {
  const rest = [...argv];
  let wasm: string | undefined;
  const at = rest.indexOf('--wasm');
  if (at >= 0) {
    wasm = rest[at + 1];
    if (wasm === undefined) return undefined;
    rest.splice(at, 2);
  }
  if (rest.length !== 2) return undefined;
  return { kind: rest[0]!, path: rest[1]!, ...(wasm !== undefined ? { wasm } : {}) };
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args === undefined || !isVectorKind(args.kind)) {
    console.error(args === undefined ? USAGE : `unknown kind "${args.kind}"\n${USAGE}`);
    return 2;
  }
  const core = await createCore(args.wasm !== undefined ? { source: args.wasm } : {});
  const report = await runVectors(core, args.kind, args.path);
  for (const line of report.lines()) console.log(line);
  if (report.passed + report.failed === 0) {
    console.error(`no ${args.kind} records found in ${args.path}`);
    return 1;
  }
  return report.failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (e: unknown) => {
    // Expected failures (bad path, missing module) get one clear line; anything else names its error class.
    console.error(e instanceof VectorPathError ? e.message : `vectors: ${describe(e)}`);
    process.exitCode = 1;
  },
);
