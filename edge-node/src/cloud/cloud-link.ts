import type { UploadConfig } from '../config/schema';
import type { SqliteDatabase } from '../store/database';
import type { Logger } from '../logger';
import { startShapeSync, type ShapeSync } from '../sync/shape-consumer';
import type { Outbox } from '../upload/outbox';
import { Uploader } from '../upload/uploader';
import type { UploadStats } from '../upload/upload-stats';
import { credentialExists, loadCredential } from './credential';
import { HubClient } from './hub-client';
import type { EdgeProtocol } from './hub-protocol';
import { LinkStatus } from './link-status';
import { startLiveUplink, type LiveUplinkOptions } from './live-uplink';
import { UplinkRequestHandler, type UplinkAlarmActions, type UplinkControl } from './uplink-requests';

/** The running link of a paired edge to its hub; `stop` ends it. */
export interface CloudLink {
  edgeNodeId: string;
  cloudUrl: string;
  sync: ShapeSync;
  /** Uploader of rollups and events, or null when the caller passed no `upload` option. */
  uploader: Uploader | null;
  stop(): Promise<void>;
}

/** Parts the uploader works with. The caller owns them, so the status endpoints can read them. */
export interface UploadParts {
  outbox: Outbox;
  stats: UploadStats;
  config: UploadConfig;
}

export interface CloudLinkOptions {
  /** Edge-hub protocol to announce; tests force an incompatible one. */
  protocol?: EdgeProtocol;
  /** Shared link state, updated by the uploader and the live uplink. A private one is created when omitted. */
  link?: LinkStatus;
  /** Starts the uploader too. */
  upload?: UploadParts;
  /** Starts the live uplink too, forwarding this hub's samples while the site is watched. */
  live?: Pick<LiveUplinkOptions, 'hub' | 'snapshot'> & {
    /** Services that run hub users' alarm actions and control commands; without them the uplink runs no requests. */
    remote?: { alarms: UplinkAlarmActions; control: UplinkControl };
  };
}

/**
 * Starts syncing site metadata from the hub, uploading rollups and events and relaying live samples, when the data
 * folder contains a pairing credential. Returns null for an unpaired edge, and also when the
 * credential cannot be used: the edge keeps running on its local configuration in both cases, because
 * nothing on it may depend on the cloud.
 */
export async function startCloudLink(dataDir: string, db: SqliteDatabase, logger: Logger, options: CloudLinkOptions = {}): Promise<CloudLink | null> {
  if (!credentialExists(dataDir)) {
    logger.info({ dataDir }, 'not paired with a cloud hub; running on the local configuration only');
    return null;
  }

  const link = options.link ?? new LinkStatus();
  let client: HubClient;
  try {
    client = await HubClient.create(loadCredential(dataDir), {
      ...(options.protocol === undefined ? {} : { protocol: options.protocol }),
      onProtocolMismatch: (mismatch) => {
        link.protocolError = mismatch.message;
        logger.error(
          { err: mismatch, edgeProtocol: mismatch.edgeProtocol, hubProtocol: mismatch.hubProtocol, update: mismatch.update },
          `the edge node and the cloud hub cannot talk: ${mismatch.message}. Metadata sync, uploads and the live uplink stop until the ${mismatch.update} is updated and the edge node restarts`,
        );
      },
    });
  } catch (error) {
    logger.error({ err: error, dataDir }, 'the cloud credential cannot be used; metadata sync and uploads are off until it is fixed or the edge is paired again');
    return null;
  }

  const { credential } = client;
  link.siteId = credential.siteId;
  const syncLogger = logger.child({ component: 'cloud-sync', edgeNodeId: credential.edgeNodeId });
  const sync = startShapeSync({ baseUrl: credential.cloudUrl, headers: () => client.headers(), checkResponse: (response) => client.checkProtocol(response), db, logger: syncLogger });
  syncLogger.info({ cloudUrl: credential.cloudUrl, siteId: credential.siteId }, 'syncing site metadata from the cloud hub');

  const uploader = options.upload
    ? new Uploader({ ...options.upload, client, link, logger: logger.child({ component: 'upload', edgeNodeId: credential.edgeNodeId }) })
    : null;
  uploader?.start();
  const liveLogger = logger.child({ component: 'live-uplink', edgeNodeId: credential.edgeNodeId });
  const remote = options.live?.remote;
  const requests = remote === undefined ? undefined : new UplinkRequestHandler({ db, alarms: remote.alarms, control: remote.control, logger: liveLogger });
  const liveUplink = options.live
    ? startLiveUplink({ hub: options.live.hub, snapshot: options.live.snapshot, client, status: link, logger: liveLogger, ...(requests === undefined ? {} : { requests }) })
    : null;
  return {
    edgeNodeId: credential.edgeNodeId,
    cloudUrl: credential.cloudUrl,
    sync,
    uploader,
    stop: async () => {
      sync.stop();
      await Promise.all([sync.ended, uploader?.stop(), liveUplink?.stop()]);
    },
  };
}
