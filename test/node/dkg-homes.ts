// What the DKG tests read from a node's home with the project's own code: the sealed state of a session
// (src/node/dkg/state-store.ts), opened with the home's keystore. Read only when the node writes nothing.
import type { CID } from 'multiformats/cid';
import { homePaths } from '../../src/node/config.ts';
import { type DkgRecord, DkgStateStore } from '../../src/node/dkg/state-store.ts';
import { FileKeystore } from '../../src/node/keystore/file-keystore.ts';
import { PASS } from './harness.ts';

/** The record node `home` keeps of `session`, or undefined. */
export async function readDkgRecord(home: string, session: CID): Promise<DkgRecord | undefined> {
  const ks = await FileKeystore.open(homePaths(home).keystore, PASS);
  try {
    const store = await DkgStateStore.open(homePaths(home).dkg, ks);
    try {
      return await store.read(session);
    } finally {
      store.close();
    }
  } finally {
    await ks.close();
  }
}
