/**
 * GET /v1/oidc/issuers: the OpenID Connect issuers this node trusts (config.json `oidc`), each with the app's client
 * id there and the name the app shows ("Sign in with <name>"); public, for the app to offer the sign-in and to
 * write an `oidc` condition this node accepts (docs/protocol.md, "OpenID Connect beneficiaries").
 * @module
 */
import type { FastifyInstance } from 'fastify';
import type { OidcSettings } from '../../oidc/settings.ts';

const issuersSchema = {
  summary: 'The OpenID Connect issuers this node trusts, with the app client id at each',
  response: {
    200: {
      description: 'the trusted issuers (an empty list when none)',
      type: 'object',
      required: ['issuers'],
      properties: {
        issuers: {
          type: 'array',
          items: {
            type: 'object',
            required: ['issuer', 'clientId', 'name'],
            properties: {
              issuer: { type: 'string', description: 'the issuer identifier, as its ID tokens name it' },
              clientId: { type: 'string', description: "the app's client id at the issuer" },
              name: { type: 'string', description: 'shown as "Sign in with <name>"' },
            },
          },
        },
      },
    },
  },
};

export function oidcIssuerRoutes(settings: OidcSettings) {
  const body = { issuers: settings.issuers.map(({ issuer, clientId, name }) => ({ issuer, clientId, name })) };
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/v1/oidc/issuers', { schema: issuersSchema }, async () => body);
  };
}
