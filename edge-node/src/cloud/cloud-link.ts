import type { SqliteDatabase } from '../store/database';
import type { Logger } from '../logger';
import { startShapeSync, type ShapeSync } from '../sync/shape-consumer';
import { credentialExists, loadCredential } from './credential';
import { HubClient } from './hub-client';

/** The running link of a paired edge to its hub; `stop` ends it. */
export interface CloudLink {
  edgeNodeId: string;
  cloudUrl: string;
  sync: ShapeSync;
  stop(): Promise<void>;
}

/**
 * Starts syncing site metadata from the hub when the data folder contains a pairing credential. Returns
 * null for an unpaired edge, and also when the credential cannot be used: the edge keeps running on its
 * local configuration in both cases, because nothing on it may depend on the cloud.
 */
export async function startCloudLink(dataDir: string, db: SqliteDatabase, logger: Logger): Promise<CloudLink | null> {
  if (!credentialExists(dataDir)) {
    logger.info({ dataDir }, 'not paired with a cloud hub; running on the local configuration only');
    return null;
  }

  let client: HubClient;
  try {
    client = await HubClient.create(loadCredential(dataDir));
  } catch (error) {
    logger.error({ err: error, dataDir }, 'the cloud credential cannot be used; metadata sync is off until it is fixed or the edge is paired again');
    return null;
  }

  const { credential } = client;
  const syncLogger = logger.child({ component: 'cloud-sync', edgeNodeId: credential.edgeNodeId });
  const sync = startShapeSync({ baseUrl: credential.cloudUrl, headers: () => client.headers(), db, logger: syncLogger });
  syncLogger.info({ cloudUrl: credential.cloudUrl, siteId: credential.siteId }, 'syncing site metadata from the cloud hub');
  return {
    edgeNodeId: credential.edgeNodeId,
    cloudUrl: credential.cloudUrl,
    sync,
    stop: async () => {
      sync.stop();
      await sync.ended;
    },
  };
}
