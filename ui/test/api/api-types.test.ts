import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiDocuments, renderApiTypes } from '../../scripts/api-types';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('generated API types', () => {
  for (const [file, buildDocument] of Object.entries(apiDocuments)) {
    it(`${file} matches the current OpenAPI document (run \`pnpm -C ui api-types\` after changing a route)`, async () => {
      const committed = readFileSync(root + file, 'utf8');
      expect(committed === (await renderApiTypes(buildDocument()))).toBe(true);
    });
  }
});
