import { createRoute, z } from '@hono/zod-openapi';
import { lanScanRequestSchema } from '../../setup/scan/schemas';
import { errorBodySchema, errorResponses } from '../http-error';
import {
  setupAdminRequestSchema,
  setupAdminResponseSchema,
  setupDevicesRequestSchema,
  setupDevicesResponseSchema,
  setupFinishResponseSchema,
  setupPairRequestSchema,
  setupPairResponseSchema,
  setupScanJobSchema,
  setupScanStartedSchema,
  setupStandaloneRequestSchema,
  setupStandaloneResponseSchema,
  setupStatusSchema,
  setupTemplatesResponseSchema,
  setupUnlockRequestSchema,
  setupUnlockResponseSchema,
} from './setup-schemas';

/** Security requirement of the setup steps: the token `POST /api/setup/unlock` returns. */
export const setupTokenSecurity = [{ setupToken: [] }];

function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { 'application/json': { schema } }, required: true };
}

function jsonResponse<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}

const setupOnly = 'Served only while the node is in setup mode (no site file yet).';

export const setupStatusRoute = createRoute({
  method: 'get',
  path: '/setup/status',
  tags: ['setup'],
  summary: 'Progress of the first-boot setup; public, also served once setup is complete',
  responses: { 200: jsonResponse('Setup progress', setupStatusSchema) },
});

export const setupUnlockRoute = createRoute({
  method: 'post',
  path: '/setup/unlock',
  tags: ['setup'],
  summary: 'Exchange the setup code from the console for a setup token valid for one hour',
  description: `${setupOnly} After five wrong codes within 15 minutes, attempts get 429 until the time in its message.`,
  request: { body: jsonBody(setupUnlockRequestSchema) },
  responses: { 200: jsonResponse('Setup token', setupUnlockResponseSchema), ...errorResponses(400, 401, 403, 429) },
});

export const setupAdminRoute = createRoute({
  method: 'post',
  path: '/setup/admin',
  tags: ['setup'],
  summary: 'Create the local admin account; a repeated call replaces the account this setup created',
  description: setupOnly,
  security: setupTokenSecurity,
  request: { body: jsonBody(setupAdminRequestSchema) },
  responses: { 200: jsonResponse('Account created', setupAdminResponseSchema), ...errorResponses(400, 401, 403, 409) },
});

export const setupPairRoute = createRoute({
  method: 'post',
  path: '/setup/pair',
  tags: ['setup'],
  summary: 'Pair with a cloud hub using a one-time pairing code; the site comes from the hub',
  description: `${setupOnly} 502 when the hub is unreachable or rejects the code, with the hub's message.`,
  security: setupTokenSecurity,
  request: { body: jsonBody(setupPairRequestSchema) },
  responses: {
    200: jsonResponse('Paired', setupPairResponseSchema),
    ...errorResponses(400, 401, 403, 409),
    502: jsonResponse('The hub is unreachable or rejected the pairing code; the message contains the reason', errorBodySchema),
  },
});

export const setupStandaloneRoute = createRoute({
  method: 'post',
  path: '/setup/standalone',
  tags: ['setup'],
  summary: 'Set up a standalone site that runs without a cloud hub',
  description: setupOnly,
  security: setupTokenSecurity,
  request: { body: jsonBody(setupStandaloneRequestSchema) },
  responses: { 200: jsonResponse('Site chosen', setupStandaloneResponseSchema), ...errorResponses(400, 401, 403, 409) },
});

export const setupScanRoute = createRoute({
  method: 'post',
  path: '/setup/scan',
  tags: ['setup'],
  summary: 'Start a scan of an IPv4 network (/22 or longer) for Modbus TCP and BACnet/IP devices',
  description: setupOnly,
  security: setupTokenSecurity,
  request: { body: jsonBody(lanScanRequestSchema) },
  responses: { 202: jsonResponse('Scan started', setupScanStartedSchema), ...errorResponses(400, 401, 403) },
});

export const setupScanJobRoute = createRoute({
  method: 'get',
  path: '/setup/scan/{scanId}',
  tags: ['setup'],
  summary: 'Progress and findings of a LAN scan',
  description: setupOnly,
  security: setupTokenSecurity,
  request: { params: z.object({ scanId: z.string() }) },
  responses: { 200: jsonResponse('The scan', setupScanJobSchema), ...errorResponses(401, 404) },
});

export const setupTemplatesRoute = createRoute({
  method: 'get',
  path: '/setup/templates',
  tags: ['setup'],
  summary: 'Device templates the node ships with',
  description: setupOnly,
  security: setupTokenSecurity,
  responses: { 200: jsonResponse('Templates', setupTemplatesResponseSchema), ...errorResponses(401) },
});

export const setupDevicesRoute = createRoute({
  method: 'post',
  path: '/setup/devices',
  tags: ['setup'],
  summary: 'Choose the devices of the site file; replaces the previous choice',
  description: setupOnly,
  security: setupTokenSecurity,
  request: { body: jsonBody(setupDevicesRequestSchema) },
  responses: { 200: jsonResponse('Devices chosen', setupDevicesResponseSchema), ...errorResponses(400, 401, 403) },
});

export const setupFinishRoute = createRoute({
  method: 'post',
  path: '/setup/finish',
  tags: ['setup'],
  summary: 'Write the site file and switch to the normal edge node on the same port',
  description: `${setupOnly} 409 until an admin and a site (paired or standalone) exist.`,
  security: setupTokenSecurity,
  responses: { 200: jsonResponse('Setup finished; log in at `loginUrl`', setupFinishResponseSchema), ...errorResponses(401, 403, 409, 500) },
});

/** Route definitions of the setup API, for the OpenAPI document. */
export const setupRouteDefinitions = [
  setupStatusRoute,
  setupUnlockRoute,
  setupAdminRoute,
  setupPairRoute,
  setupStandaloneRoute,
  setupScanRoute,
  setupScanJobRoute,
  setupTemplatesRoute,
  setupDevicesRoute,
  setupFinishRoute,
];
