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
export type * from './types.ts';
export * from './errors.ts';
export { encode, decodeStrict, cidOf, checkCid, isProtocolCid, MAX_DOCUMENT_BYTES, DAG_CBOR_CODE, SHA2_256_CODE } from './cbor.ts';
export * as schema from '../schema.ts';
export { IDENTITY_DOMAIN, ENVELOPE_DOMAIN, ENVELOPE_KEY_INFO, signingInput } from './signing.ts';
export { createIdentity, readIdentity, identitySchema, MAX_IDENTITY_BYTES, MAX_TIME, type IdentityFields } from './identity.ts';
export {
  createEnvelope, decodeEnvelope, verifyEnvelope, openEnvelope, recipientOf, isSealed, envelopeSchema, headerSchema,
  MAX_RECIPIENTS, CONTENT_KEY_BYTES, HEADER_NONCE_BYTES, ENVELOPE_VERSION,
  type EnvelopeInit, type Recipient, type Opener, type OpenOptions, type VerifiedEnvelope,
} from './envelope.ts';
export { verifyChain, orderIdOf, DEFAULT_MAX_CHAIN, type ChainOptions } from './chain.ts';
export { generateIdentitySecrets, SEED_BYTES, type BlsKeygen } from './keys.ts';
export { encryptBackup, decryptBackup, BACKUP_TYPE, SCRYPT_DEFAULTS, type BackupOptions } from './backup.ts';
export { createIdentityResolver, resolverOf } from './resolver.ts';
