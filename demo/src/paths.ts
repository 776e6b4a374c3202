import { fileURLToPath } from 'node:url';

/** Root of the repository, with a trailing slash. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLOUD_BIN = fileURLToPath(new URL('../../cloud/bin/cloud.mjs', import.meta.url));
export const EDGE_BIN = fileURLToPath(new URL('../../edge-node/bin/edge-node.mjs', import.meta.url));
/** The built web app that the hub and the edges serve. */
export const UI_INDEX = fileURLToPath(new URL('../../ui/dist/index.html', import.meta.url));
/** Compose file with the postgres and redis services, for the fix the preflight prints. */
export const COMPOSE_FILE = fileURLToPath(new URL('../../docker-compose.yml', import.meta.url));
