/**
 * The tables of a node's shared state in PostgreSQL (component "storage"
 * of the versioned migrations, pool.ts). Bytes are bytea, JSON documents
 * are text (kept byte for byte as written, unlike jsonb). A keystore row
 * holds sealed bytes only, never a plaintext.
 * @module
 */
import { registerMigration } from './pool.ts';

const V1 = `
CREATE TABLE orders (
  id text PRIMARY KEY,
  record text NOT NULL,
  replies text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE order_envelopes (
  order_id text NOT NULL REFERENCES orders (id),
  cid text NOT NULL,
  bytes bytea NOT NULL,
  PRIMARY KEY (order_id, cid)
);
CREATE TABLE replay (
  cid text PRIMARY KEY,
  created bigint NOT NULL,
  scope text NOT NULL
);
CREATE INDEX replay_by_created ON replay (created);
CREATE TABLE identities (
  cid text PRIMARY KEY,
  bytes bytea NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE blocks (
  multihash bytea PRIMARY KEY,
  cid text NOT NULL,
  bytes bytea NOT NULL
);
CREATE TABLE keystore_records (
  name text COLLATE "C" PRIMARY KEY,
  sealed bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE pending_steps (
  seq bigserial UNIQUE,
  request text PRIMARY KEY,
  order_id text NOT NULL,
  step text NOT NULL,
  envelope bytea NOT NULL
);
CREATE TABLE node_home (
  name text PRIMARY KEY,
  bytes bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
`;

registerMigration({ name: 'storage', version: 1, sql: V1 });
