/**
 * A plugin's narrow view of the node's DKGs (PluginContext.dkg): the finished sessions whose purpose names
 * it, "<plugin>:<what>", and no other plugin's; its share handed as a copy the plugin wipes.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { readSession } from '../../core/dkg/messages.ts';
import type { DkgHolding, PluginDkg } from '../plugins/types.ts';
import type { DkgRunner } from './runner.ts';

export function pluginDkg(runner: DkgRunner, plugin: string): PluginDkg {
  return {
    async get(session: CID): Promise<DkgHolding | undefined> {
      const record = await runner.finished(session, plugin);
      if (record?.state.phase !== 'done') return undefined;
      const { state } = record;
      return {
        session: readSession(state.session),
        requester: record.requester,
        index: state.index,
        share: state.share, // read from disk for this call alone: the caller's copy
        groupKey: state.groupKey,
        commitments: state.commitments,
        transcript: state.transcript,
      };
    },
    remove: (session: CID) => runner.remove(session, plugin),
  };
}
