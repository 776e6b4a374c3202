import { fileURLToPath } from 'node:url';

/** Root of the repository, with a trailing slash. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLOUD_BIN = fileURLToPath(new URL('../../cloud/bin/cloud.mjs', import.meta.url));
export const EDGE_BIN = fileURLToPath(new URL('../../edge-node/bin/edge-node.mjs', import.meta.url));
