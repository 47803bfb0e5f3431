/**
 * A minimal part of /openapi.json for the bitcoin plugin: its two routes
 * (index.ts; README.md in this folder has the envelopes). The host takes
 * this file's `openapi` export while the plugin object has no `openapi`
 * field of its own (plugins/host.ts).
 * @module
 */
import type { PluginOpenApi } from '../types.ts';
import { ADDRESS_TYPES } from '../../../plugins/bitcoin/address.ts';
import { NETWORK_NAMES } from '../../../plugins/bitcoin/network.ts';

const hex = { type: 'string', pattern: '^[0-9a-f]*$' };

export const openapi: PluginOpenApi = {
  description: 'The fiduciary draws a secp256k1 key share f and commits to F = f·G; the address is derived from F + B, B the ' +
    'beneficiary\'s key, so neither alone holds the private key. On redemption the beneficiary receives f, sealed to it. ' +
    'Envelopes "bitcoin/order" and "bitcoin/redeem": src/node/plugins/bitcoin/README.md.',
  paths: {
    '/': {
      get: {
        summary: 'Networks, address types, commitment tag and envelope types',
        responses: { 200: { description: 'what the plugin takes', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
    '/orders/{id}': {
      get: {
        summary: 'The public part of a commitment (no address, no beneficiary key)',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'order id' }],
        responses: {
          200: {
            description: 'the commitment',
            content: {
              'application/json': {
                schema: {
                  type: 'object', required: ['order', 'network', 'addressType', 'fiduciaryPublicKey', 'commitment', 'proof'],
                  properties: {
                    order: { type: 'string' }, network: { enum: [...NETWORK_NAMES] }, addressType: { enum: [...ADDRESS_TYPES] },
                    fiduciaryPublicKey: { ...hex, description: 'F, 33 bytes compressed' }, commitment: hex, proof: { ...hex, description: 'BIP-340 proof of knowledge of f' },
                  },
                },
              },
            },
          },
          400: { description: 'bad_request: not an order id', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          404: { description: 'not_found: nothing committed for this order', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        },
      },
    },
  },
};
