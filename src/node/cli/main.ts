#!/usr/bin/env node
/**
 * The `dta` command line. Node commands: init, serve, start (init if needed,
 * then serve: what `npm start` runs), status. Client commands for scripts:
 * identity create|show|register, order, retrieve, show. Every command takes
 * --home <dir> (default $DTA_HOME, else ~/.dta). The keystore passphrase
 * comes from DTA_PASSPHRASE, a key file (--key-file or DTA_KEY_FILE) or a
 * prompt, never from an argument.
 * @module
 */
import '../use-native-crypto.ts'; // first: the core's SHA-256, HKDF and AES-GCM on node:crypto in this thread
import { parseArgs } from 'node:util';
import { anchorCommands } from './anchor-commands.ts';
import { clientCommands } from './client-commands.ts';
import { custodyCommands } from './custody-commands.ts';
import { custodyKeygenCommands } from './custody-keygen.ts';
import { dkgCommands } from './dkg-commands.ts';
import { nodeCommands } from './node-commands.ts';

export interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly options: Record<string, { type: 'string' | 'boolean'; short?: string }>;
  // biome-ignore lint/suspicious/noConfusingVoidType: a command that ends without an exit status returns nothing (0)
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number | void>;
}

/** A problem with how the command was called (exit status 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

const COMMON = { home: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

const COMMANDS: Record<string, Command> = {
  ...nodeCommands,
  ...clientCommands,
  ...anchorCommands,
  ...custodyCommands,
  ...custodyKeygenCommands,
  ...dkgCommands,
};

function help(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(18)} ${c.summary}`);
  return [
    'usage: dta <command> [options]   (every command takes --home <dir>; default $DTA_HOME, else ~/.dta)',
    '',
    ...lines,
    '',
    'The keystore passphrase comes from DTA_PASSPHRASE, --key-file <path> (or DTA_KEY_FILE), or a prompt.',
    'dta <command> --help shows the options of one command.',
  ].join('\n');
}

/** The command named by the first one or two arguments ("identity create"). */
function findCommand(argv: readonly string[]): { name: string; rest: string[] } | undefined {
  const two = `${argv[0]} ${argv[1]}`;
  if (argv.length >= 2 && COMMANDS[two]) return { name: two, rest: argv.slice(2) };
  if (argv.length >= 1 && COMMANDS[argv[0]!]) return { name: argv[0]!, rest: argv.slice(1) };
  return undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(help());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    console.error(`dta: unknown command "${argv.slice(0, 2).join(' ')}"\n\n${help()}`);
    return 2;
  }
  const command = COMMANDS[found.name]!;
  let parsed;
  try {
    parsed = parseArgs({
      args: found.rest,
      options: { ...COMMON, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    console.error(`dta ${found.name}: ${(err as Error).message}\nusage: ${command.usage}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(`usage: ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    return (await command.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals)) ?? 0;
  } catch (err) {
    const e = err as Error;
    console.error(
      `dta ${found.name}: ${e.name === 'Error' || e.name === 'UsageError' ? '' : `${e.name}: `}${e.message}`,
    );
    return e.name === 'UsageError' ? 2 : 1;
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => {
      // Exit now rather than when the last libp2p timer fires (stdout and stderr are synchronous on Linux).
      process.exit(code);
    },
    (err: unknown) => {
      console.error(`dta: ${(err as Error).message}`);
      process.exitCode = 1;
    },
  );
}
