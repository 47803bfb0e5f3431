/**
 * Imported for its effect, first thing, by each of the node's entry points (the CLI, startNode, a crypto worker):
 * from then on the core's SHA-256, HKDF and AES-GCM in this thread run on node:crypto (crypto-native.ts). Installing
 * it again, in another module or another thread, changes nothing but the thread it runs in.
 * @module
 */
import { useSymmetricBackend } from '../core/crypto/symmetric-backend.ts';
import { nodeSymmetric } from './crypto-native.ts';

useSymmetricBackend(nodeSymmetric);
