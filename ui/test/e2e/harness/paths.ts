import { fileURLToPath } from 'node:url';

/** The repository root, where the `cloud` and `edge-node` CLIs live. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const CLOUD_DIR = `${REPO_ROOT}cloud`;
export const CLOUD_BIN = `${CLOUD_DIR}/bin/cloud.mjs`;
export const EDGE_NODE_DIR = `${REPO_ROOT}edge-node`;
export const EDGE_NODE_BIN = `${EDGE_NODE_DIR}/bin/edge-node.mjs`;
/** Where `screenshot` saves its PNG files. */
export const SCREENSHOT_DIR = `${REPO_ROOT}docs/screenshots`;
/** The demo site file that the stack's site follows. */
export const DEMO_SITE_FILE = `${EDGE_NODE_DIR}/sites/demo-site.yaml`;
/** The edge node's site file loader, which resolves templates into the shared device model. */
export const EDGE_CONFIG_LOADER = `${EDGE_NODE_DIR}/src/config/load.ts`;
/** The UI package, whose `dist` folder the edge node and the hub serve. */
export const UI_DIR = `${REPO_ROOT}ui`;
