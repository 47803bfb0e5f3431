/**
 * The flows' IndexedDB database ("dta-flows"): the nodes the person added,
 * the orders this device took part in (with their envelopes, so that they
 * can be viewed and re-verified offline), M-Pin registrations (the PIN
 * token only, never the client secret or the PIN), and identity documents
 * seen in orders (public, to name parties offline), and Bitcoin key cards
 * (public key statements this identity made, with their reserved key
 * index, and "used" marks of cards it ordered with), and what the Audit page
 * saw of each node's log (the last checkpoint that verified, and the
 * evidence of failed checks). Nothing secret is stored here: secrets live in the worker's vault or are shown once.
 * @module
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { AuditEvidenceRecord, SeenCheckpoint } from '../audit/seen.ts';
import type { KeyCardRecord } from '../bitcoin/keycard.ts';
import type { MpinRegistration } from '../mpin/model.ts';
import type { NodeRecord } from '../nodes/model.ts';
import type { OrderRecord } from '../orders/model.ts';

const DB_NAME = 'dta-flows';
export const DB_VERSION = 3;

export interface FlowsSchema extends DBSchema {
  nodes: { key: string; value: NodeRecord };
  orders: { key: [string, string]; value: OrderRecord; indexes: { owner: string } };
  mpin: { key: string; value: MpinRegistration; indexes: { owner: string } };
  documents: { key: string; value: { readonly cid: string; readonly bytes: Uint8Array } };
  keycards: { key: [string, string]; value: KeyCardRecord; indexes: { owner: string } };
  checkpoints: { key: string; value: SeenCheckpoint };
  evidence: { key: [string, number]; value: AuditEvidenceRecord; indexes: { node: string } };
}

export type FlowsDb = IDBPDatabase<FlowsSchema>;

const opened = new Map<string, Promise<FlowsDb>>();

/** The database `name` (default "dta-flows"), opened once per page. */
export function flowsDb(name = DB_NAME): Promise<FlowsDb> {
  let db = opened.get(name);
  if (!db) {
    db = open(name).catch((e) => {
      opened.delete(name);
      throw e;
    });
    opened.set(name, db);
  }
  return db;
}

function open(name: string): Promise<FlowsDb> {
  return openDB<FlowsSchema>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('nodes', { keyPath: 'url' });
        db.createObjectStore('orders', { keyPath: ['owner', 'id'] }).createIndex('owner', 'owner');
        db.createObjectStore('mpin', { keyPath: 'id' }).createIndex('owner', 'owner');
        db.createObjectStore('documents', { keyPath: 'cid' });
      }
      if (oldVersion < 2) {
        // Version 2 adds the Bitcoin key cards; the stores of version 1 and their records stay as they are.
        db.createObjectStore('keycards', { keyPath: ['owner', 'cid'] }).createIndex('owner', 'owner');
      }
      if (oldVersion < 3) {
        // Version 3 adds what the Audit page saw of each node's log; the stores before it stay as they are.
        db.createObjectStore('checkpoints', { keyPath: 'node' });
        db.createObjectStore('evidence', { keyPath: ['node', 'at'] }).createIndex('node', 'node');
      }
    },
    blocking() {
      // A newer version of the app wants to upgrade: let it (this page will reload on its update prompt).
      const db = opened.get(name);
      opened.delete(name);
      void db?.then((d) => d.close());
    },
  });
}
