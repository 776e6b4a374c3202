import { hubServerMessageSchema, serverMessageSchema, type AlarmChange, type DeviceStatus, type Sample } from '@simtestlab/sync';
import { createReconnectingSocket } from './reconnecting-socket';

/** Handlers of a site's live stream messages, the same in local and remote mode. */
export interface SiteFeedHandlers {
  samples(samples: Sample[]): void;
  deviceStatus(device: string, status: DeviceStatus, ts: number, error?: string): void;
  alarm(change: AlarmChange): void;
  /** Called when the hub reports that the user's permissions changed, so the page refetches its data. */
  permissionsChanged(lostSite: boolean): void;
}

export interface SiteFeedOptions {
  mode: 'edge' | 'cloud';
  siteId: string;
  /** Devices whose samples the edge should send; the hub sends every device of the site. */
  devices: readonly string[];
  token(): string | null;
  renewToken(): Promise<boolean>;
  handlers: SiteFeedHandlers;
}

/**
 * Opens the live stream of one site: the edge node's `/ws` in local mode, the hub's relay in remote mode.
 * Both are validated with the shared message schemas and resubscribed after every reconnect.
 */
export function openSiteFeed(options: SiteFeedOptions) {
  const { handlers } = options;
  const socket = createReconnectingSocket({
    path: '/ws',
    token: options.token,
    renewToken: options.renewToken,
    onOpen: (send) =>
      send(options.mode === 'edge' ? { type: 'subscribe', devices: [...options.devices] } : { type: 'subscribe', sites: [options.siteId] }),
    onMessage: (data) => (options.mode === 'edge' ? onEdgeMessage(data) : onHubMessage(data)),
  });

  function onEdgeMessage(data: unknown): void {
    const parsed = serverMessageSchema.safeParse(data);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'samples') handlers.samples(message.samples);
    else if (message.type === 'device-status') handlers.deviceStatus(message.device, message.status, message.ts, message.error);
    else if (message.type === 'alarm') handlers.alarm(message.change);
  }

  function onHubMessage(data: unknown): void {
    const parsed = hubServerMessageSchema.safeParse(data);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'site-samples' && message.siteId === options.siteId) handlers.samples(message.samples);
    else if (message.type === 'site-device-status' && message.siteId === options.siteId) handlers.deviceStatus(message.device, message.status, message.ts, message.error);
    else if (message.type === 'site-alarm' && message.siteId === options.siteId) handlers.alarm(message.change);
    else if (message.type === 'permissions-changed') {
      handlers.permissionsChanged(message.removedSites.includes(options.siteId));
      if (message.action === 'reconnect') socket.reconnect();
    }
  }

  return socket;
}
