// A child process for log-postgres.test.ts: opens the PostgreSQL log at $DTA_TEST_DATABASE_URL and appends entries
// `<prefix> <i>` four at a time until it is killed, printing `appended <i> at <index> size <size>` once each append
// has resolved (acknowledged). With DTA_FAILPOINT=log:before-commit it dies inside its first transaction.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';
import { fromHex, utf8 } from '../../../src/core/bytes.ts';
import { logEntry } from '../../../src/core/protocol/log-entry.ts';
import { logOrigin } from '../../../src/node/log/binding.ts';
import { openPostgresLog } from '../../../src/node/log/postgres-log.ts';
import { openPool } from '../../../src/node/storage/postgres/pool.ts';

const LIMIT = 100_000;
const CONCURRENT = 4;

const secretKey = fromHex(process.env.DTA_TEST_LOG_KEY ?? '');
const prefix = process.env.DTA_TEST_PREFIX ?? 'entry';
const pool = await openPool(process.env.DTA_TEST_DATABASE_URL ?? '', { max: 2 });
const log = await openPostgresLog({ pool, origin: logOrigin(ed25519.getPublicKey(secretKey)), secretKey });
const entry = (text: string) => logEntry('envelope', CID.createV1(0x71, Digest.create(0x12, sha256(utf8(text)))));

let next = 0;
async function appender(): Promise<void> {
  while (next < LIMIT) {
    const i = next++;
    const { indices, size } = await log.append([entry(`${prefix} ${i}`)]);
    process.stdout.write(`appended ${i} at ${indices[0]} size ${size}\n`);
  }
}
await Promise.all(Array.from({ length: CONCURRENT }, appender));
