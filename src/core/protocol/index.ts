/**
 * The dta protocol: strict DAG-CBOR documents addressed by CID, identity
 * documents, signed and sealed envelopes, order chains, identity secrets and
 * their encrypted backup. BLS operations are injected (a BlsSigner: the
 * core's `core.bls`, directly or through the worker), so the same code runs
 * in the browser and in the node.
 *
 * @example
 * ```ts
 * import { createCore } from './src/core/index.ts';
 * import * as dta from './src/core/protocol/index.ts';
 * const core = await createCore();
 * const alice = await dta.generateIdentitySecrets(core.bls);
 * const bob = await dta.generateIdentitySecrets(core.bls);
 * const aliceId = await dta.createIdentity(core.bls, alice, { name: 'alice' });
 * const bobId = await dta.createIdentity(core.bls, bob, { name: 'bob' });
 * const env = await dta.createEnvelope(core.bls, alice.bls, {
 *   type: 'note/send', sender: aliceId.cid, recipients: [dta.recipientOf(bobId)], sealed: true, content: { hi: 'bob' },
 * });
 * const checked = await dta.verifyEnvelope(core.bls, env.bytes, dta.resolverOf([aliceId, bobId]));
 * dta.openEnvelope(checked, { cid: bobId.cid, xwing: bob.xwing }); // { hi: 'bob' }
 * ```
 * The wire formats, for a second implementation: docs/protocol.md.
 * @module
 */

export * as schema from '../schema.ts';
export { BACKUP_TYPE, type BackupOptions, decryptBackup, encryptBackup, SCRYPT_DEFAULTS } from './backup.ts';
export {
  checkCid,
  cidOf,
  DAG_CBOR_CODE,
  decodeStrict,
  encode,
  isProtocolCid,
  MAX_DOCUMENT_BYTES,
  SHA2_256_CODE,
} from './cbor.ts';
export { type ChainOptions, DEFAULT_MAX_CHAIN, orderIdOf, verifyChain } from './chain.ts';
export {
  CONTENT_KEY_BYTES,
  createEnvelope,
  decodeEnvelope,
  ENVELOPE_VERSION,
  type EnvelopeInit,
  envelopeSchema,
  HEADER_NONCE_BYTES,
  headerSchema,
  isSealed,
  MAX_RECIPIENTS,
  type Opener,
  type OpenOptions,
  openEnvelope,
  type Recipient,
  recipientOf,
  type VerifiedEnvelope,
  verifyEnvelope,
} from './envelope.ts';
export * from './errors.ts';
export {
  createIdentity,
  type IdentityFields,
  identitySchema,
  MAX_IDENTITY_BYTES,
  MAX_TIME,
  readIdentity,
} from './identity.ts';
export { type BlsKeygen, generateIdentitySecrets, SEED_BYTES } from './keys.ts';
export { createIdentityResolver, resolverOf } from './resolver.ts';
export { ENVELOPE_DOMAIN, ENVELOPE_KEY_INFO, IDENTITY_DOMAIN, signingInput } from './signing.ts';
export type * from './types.ts';
