// Homes for nodes that witness each other over HTTP on 127.0.0.1 (test/node/log-cosigned.test.ts,
// test/node/witness-three-nodes.test.ts, test/e2e/audit.e2e.ts): a free port each, and the keys their identity
// documents' log binding gives, which each node's config names its witnesses and the logs it witnesses by.
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cosignatureVerifierKey } from '../../src/core/tlog/cosignature.ts';
import { ed25519VerifierKey, type NoteVerifier, parseVerifierKey } from '../../src/core/tlog/note.ts';
import { homePaths } from '../../src/node/config.ts';
import { readHomeIdentity } from '../../src/node/home.ts';
import { makeHome, type RunningNode, sharedCore } from './harness.ts';

/** Ports the OS gives for 127.0.0.1 now, released at once (the nodes bind them a moment later). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => {
      const s = createServer();
      return new Promise<ReturnType<typeof createServer>>((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
    }),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** The keys of a home's log binding: its log's verifier key and its cosignature (witness) verifier key. */
export async function logKeysOf(home: string) {
  const identity = (await readHomeIdentity(await sharedCore(), home))!;
  const { origin, key } = identity.value.log!;
  return {
    origin,
    identity: identity.cid.toString(),
    logVkey: ed25519VerifierKey(origin, key),
    witnessVkey: cosignatureVerifierKey(origin, key),
  };
}

/** A node's home, port and keys, and the node once it runs. */
export interface WitnessingPeer {
  readonly home: string;
  readonly port: number;
  readonly origin: string;
  /** Its identity document's CID. */
  readonly identity: string;
  readonly logVkey: string;
  readonly witnessVkey: string;
  /** Verifies this node's log signatures. */
  readonly logKey: NoteVerifier;
  /** Verifies this node's cosignatures (as a witness). */
  readonly witnessKey: NoteVerifier;
  node?: RunningNode;
}

/** A home under `dir` for each name (named `node <name>`), each with a free port. */
export async function witnessingPeers(dir: string, names: readonly string[]): Promise<WitnessingPeer[]> {
  const ports = await freePorts(names.length);
  const peers: WitnessingPeer[] = [];
  for (const [i, name] of names.entries()) {
    const home = await makeHome(join(dir, name), { name: `node ${name}` });
    const keys = await logKeysOf(home);
    const port = ports[i]!;
    peers.push({
      home,
      port,
      ...keys,
      logKey: parseVerifierKey(keys.logVkey),
      witnessKey: parseVerifierKey(keys.witnessVkey),
    });
  }
  return peers;
}

/** Adds `extra` to the config file of `home` (witnesses, witnessing, port…), keeping what is there. */
export async function addToConfig(home: string, extra: Record<string, unknown>): Promise<void> {
  const file = homePaths(home).config;
  const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  await writeFile(file, JSON.stringify({ ...config, ...extra }));
}
