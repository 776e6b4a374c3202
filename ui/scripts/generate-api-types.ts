import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { apiDocuments, renderApiTypes } from './api-types';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const [file, buildDocument] of Object.entries(apiDocuments)) {
  writeFileSync(root + file, await renderApiTypes(buildDocument()));
  process.stdout.write(`wrote ${file}\n`);
}
