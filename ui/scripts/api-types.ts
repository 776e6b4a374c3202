import openapiTS, { astToString } from 'openapi-typescript';
import { cloudOpenApiDocument } from '../../cloud/src/docs/openapi-document';
import { edgeOpenApiDocument } from '../../edge-node/src/api/openapi';

/** Where the generated types of each API live, and how to build that API's OpenAPI document. */
export const apiDocuments = {
  'src/api/generated/cloud-api.ts': cloudOpenApiDocument,
  'src/api/generated/edge-api.ts': () => edgeOpenApiDocument() as unknown as Record<string, unknown>,
} as const;

const HEADER = '// Generated from the OpenAPI document by `pnpm -C ui api-types`; do not edit.\n';

/** TypeScript declarations of an OpenAPI document's paths and schemas, as committed under src/api/generated. */
export async function renderApiTypes(document: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]);
  return HEADER + astToString(ast);
}
