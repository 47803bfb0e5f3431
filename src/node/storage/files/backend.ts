/**
 * The default backend (backend.ts StorageBackend): files under the node's
 * home: orders (storage/orders.ts: one log file since issue 13, files before), the
 * replay log (storage/replay.ts), identity documents (identity-documents.ts),
 * the write-ahead record of order steps (storage/pending.ts).
 * Helia's blockstore and the keystore stay where helia.ts and home.ts keep
 * them, under the home.
 * @module
 */
import { join } from 'node:path';
import { homePaths } from '../../config.ts';
import type { StorageBackend } from '../backend.ts';
import { FileBeneficiaryIndex, indexedOrders } from '../beneficiary-index.ts';
import { OrderStore } from '../orders.ts';
import { FilePendingSteps } from '../pending.ts';
import { ReplayCache } from '../replay.ts';
import { FileIdentityDocuments } from './identity-documents.ts';

export async function openFileBackend(
  home: string,
  options: { keepReplayMs: number; now?: () => number },
): Promise<StorageBackend> {
  const paths = homePaths(home);
  const identities = await FileIdentityDocuments.open(paths.identities);
  const orderFiles = await OrderStore.open(paths.orders);
  const beneficiaries = await FileBeneficiaryIndex.open(join(home, 'beneficiaries'), orderFiles);
  const orders = indexedOrders(orderFiles, beneficiaries);
  const replay = await ReplayCache.open(paths.replay, options.keepReplayMs, options.now);
  const pending = await FilePendingSteps.open(join(home, 'pending'));
  return {
    kind: 'files',
    orders,
    replay,
    beneficiaries,
    identities,
    pending,
    blockstore: undefined,
    home: undefined,
    async close() {
      await pending.close();
      await replay.close();
      await beneficiaries.close();
      await orderFiles.close();
    },
  };
}
