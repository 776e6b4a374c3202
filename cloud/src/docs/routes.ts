import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, forbidden } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';

const require = createRequire(import.meta.url);
const swaggerDistDir = dirname(require.resolve('swagger-ui-dist/package.json'));

/** Swagger UI files served from the installed swagger-ui-dist package, with their media types. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-16x16.png': 'image/png',
  'favicon-32x32.png': 'image/png',
};

/** The document's version and title, shared by the served document and `cloudOpenApiDocument`. */
export const DOCUMENT_HEADER = {
  openapi: '3.1.0',
  info: { title: 'SimTestLab EMS cloud hub', version: '0.1.0', description: 'Organizations, users, sites, access and audit.' },
} as const;

/** Key under which the web app keeps the access token, so Swagger UI can load the spec in developers mode. */
export const DOCS_TOKEN_STORAGE_KEY = 'simtestlab.accessToken';

const openApiRoute = createRoute({
  method: 'get',
  path: '/api/openapi.json',
  tags: ['docs'],
  summary: 'This OpenAPI 3.1 document',
  security: bearerSecurity,
  responses: {
    200: { description: 'OpenAPI document', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
    ...errorResponses(401, 403),
  },
});

const docsRoute = createRoute({
  method: 'get',
  path: '/api/docs',
  tags: ['docs'],
  summary: 'Swagger UI for this API, with its assets served by the hub itself',
  responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } } },
});

const assetRoute = createRoute({
  method: 'get',
  path: '/api/docs/swagger-ui-dist/{file}',
  tags: ['docs'],
  summary: 'A Swagger UI asset from the installed swagger-ui-dist package',
  request: { params: z.object({ file: z.enum(Object.keys(ASSETS) as [string, ...string[]]) }) },
  responses: { 200: { description: 'The asset' }, ...errorResponses(400) },
});

/** Serves the OpenAPI document and Swagger UI; the assets never come from a CDN. */
export function registerDocsRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(openApiRoute, (c) => {
    if (deps.apiDocsAccess === 'developers' && !c.var.caller.canGlobally('api_docs.view')) {
      throw forbidden('the API documentation is for developers and platform admins');
    }
    const document = app.getOpenAPI31Document(DOCUMENT_HEADER);
    return c.json(document as unknown as Record<string, unknown>, 200);
  });

  const page = swaggerUI<AppEnv>({
    url: '/api/openapi.json',
    baseUrl: '/api/docs',
    title: 'SimTestLab EMS API',
    persistAuthorization: true,
    // The spec needs a developer's token; the web app stores it under this key after login.
    requestInterceptor: `(request) => { const token = sessionStorage.getItem(${JSON.stringify(DOCS_TOKEN_STORAGE_KEY)}); if (token && !request.headers.Authorization) request.headers.Authorization = 'Bearer ' + token; return request; }`,
  });
  app.openapi(docsRoute, (c, next) => page(c, next) as never);

  const cache = new Map<string, Buffer>();
  app.openapi(assetRoute, (c) => {
    const { file } = c.req.valid('param');
    let content = cache.get(file);
    if (content === undefined) {
      content = readFileSync(join(swaggerDistDir, file));
      cache.set(file, content);
    }
    return c.body(new Uint8Array(content), 200, { 'Content-Type': ASSETS[file]!, 'Cache-Control': 'public, max-age=86400' });
  });
}
