// What the kill -9 tests (crash.test.ts, bitcoin-crash.test.ts, log-crash.test.ts) share: a fiduciary's home with
// Alice and Bob registered, `dta serve` over it as a child process (with a failpoint of src/node/failpoints.ts),
// and a POST that tells a reply from a connection that died with the node.
import { join } from 'node:path';
import { NodeApi } from '../../src/core/api/node-api.ts';
import { toBase64 } from '../../src/core/bytes.ts';
import { type Child, clientIdentity, makeHome, spawnDta, startInProcess, tempDir } from './harness.ts';

/**
 * A temporary directory holding a fiduciary's home running `plugin`, and Alice and Bob registered with it (by the
 * node run once in process; its identity is returned, the child processes serve the same home).
 */
export async function crashFiduciary(prefix: string, plugin: string) {
  const tmp = await tempDir(prefix);
  try {
    const home = await makeHome(join(tmp.dir, 'fiduciary'), { name: 'fiduciary', config: { plugins: [plugin] } });
    const alice = await clientIdentity('alice');
    const bob = await clientIdentity('bob');
    const once = await startInProcess(home);
    const api = new NodeApi(once.url);
    await api.registerIdentity(alice.identity.bytes);
    await api.registerIdentity(bob.identity.bytes);
    const identity = once.rt.identity;
    await once.close();
    return { tmp, home, alice, bob, identity };
  } catch (err) {
    await tmp.cleanup();
    throw err;
  }
}

/** `dta serve --home <home>` as a child process, with the failpoint armed when given; resolves once it serves. */
export function serveHome(home: string, failpoint?: string, timeoutMs?: number): Promise<Child> {
  return spawnDta(['serve', '--home', home], failpoint ? { DTA_FAILPOINT: failpoint } : {}, timeoutMs);
}

/** POSTs an envelope to `url` + `path`: the reply (or error), or undefined when the connection died with the node. */
export async function postEnvelope<Reply>(
  url: string,
  path: string,
  envelope: Uint8Array,
): Promise<{ status: number; json: Reply } | undefined> {
  try {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ envelope: toBase64(envelope) }),
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, json: (await res.json()) as Reply };
  } catch {
    return undefined;
  }
}
