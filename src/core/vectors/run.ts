/**
 * Node side of the vector runner: finds the files of a path for a kind and
 * runs them in a stable (sorted) order. Each kind's own module works on
 * file text only, so the same checks can run wherever text can be fetched.
 * @module
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CoreLike } from '../types.ts';
import { runAmclBls } from './amcl-bls.ts';
import { runAmclH2c } from './amcl-h2c.ts';
import { runAmclMpin } from './amcl-mpin.ts';
import { runAmclMpinJson } from './amcl-mpin-json.ts';
import { ethBlsKindOf, runEthBls } from './eth-bls.ts';
import { Report } from './report.ts';
import { runRfc9380 } from './rfc9380.ts';

export const KINDS = ['rfc9380', 'eth-bls', 'amcl-bls', 'amcl-h2c', 'amcl-mpin', 'amcl-mpin-json'] as const;
export type VectorKind = (typeof KINDS)[number];

export function isVectorKind(s: string): s is VectorKind {
  return (KINDS as readonly string[]).includes(s);
}

/** A path that cannot be read or holds no file of the kind; the CLI prints its message. */
export class VectorPathError extends Error {
  override name = 'VectorPathError';
}

/** Files of `path` (a file, or every matching file below a folder), sorted. */
async function filesOf(path: string, suffix: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new VectorPathError(`cannot read ${path}: no such file or folder`);
  }
  if (info.isFile()) return [path];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((d) => d.isFile() && d.name.endsWith(suffix))
    .map((d) => join(d.parentPath, d.name))
    .sort();
  if (files.length === 0) throw new VectorPathError(`no *${suffix} file under ${path}`);
  return files;
}

async function text(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new VectorPathError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

function runFile(core: CoreLike, kind: VectorKind, file: string, body: string): Promise<Report> {
  const name = kind === 'eth-bls' ? `${basename(dirname(file))}/${basename(file)}` : basename(file);
  switch (kind) {
    case 'rfc9380':
      return runRfc9380(core, name, body);
    case 'eth-bls':
      return runEthBls(core, ethBlsKindOf(basename(dirname(file)), basename(file)), name, body);
    case 'amcl-bls':
      return runAmclBls(core, name, body);
    case 'amcl-h2c':
      return runAmclH2c(core, name, body);
    case 'amcl-mpin':
      return runAmclMpin(core, name, body);
    case 'amcl-mpin-json':
      return runAmclMpinJson(core, name, body);
  }
}

/** The file name ending of each kind, for folders. */
const SUFFIX: Record<VectorKind, string> = {
  rfc9380: '.json',
  'eth-bls': '.json',
  'amcl-bls': '.rsp',
  'amcl-h2c': '.rsp',
  'amcl-mpin': '.txt',
  'amcl-mpin-json': '.json',
};

/** Runs every file of `path` as vectors of `kind`; throws VectorPathError for an unusable path. */
export async function runVectors(core: CoreLike, kind: VectorKind, path: string): Promise<Report> {
  const files = await filesOf(path, SUFFIX[kind]);
  const total = new Report();
  for (const file of files) total.merge(await runFile(core, kind, file, await text(file)));
  return total;
}
