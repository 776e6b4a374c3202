import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { decodeJwt } from 'jose';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppDeps } from '../api/env';
import { HttpError } from '../api/http-error';
import { authenticateToken } from '../api/middleware/authenticate';
import { listWatchableSites } from './live-site-access';
import type { OutboxOptions } from './outbox';
import { BrowserSession, type BrowserIdentity } from './browser-session';
import type { SiteFeed } from './site-feed';
import { authenticateUpgrade, closeSockets, keepAlive, TOKEN_SUBPROTOCOL, upgradeAccessToken } from './upgrade';

/** Largest browser frame accepted; subscriptions are small, so anything larger is a mistake or abuse. */
const MAX_BROWSER_FRAME_BYTES = 256 * 1024;

export interface BrowserGatewayOptions {
  deps: AppDeps;
  feed: SiteFeed;
  outbox: OutboxOptions;
  keepAliveMs: number;
}

/**
 * Serves the hub's live stream on `/ws`. The access token is verified once, at the upgrade. Afterwards
 * the socket is closed with 4401 when the token expires, and its sites are checked again whenever the
 * user's permissions change.
 */
export function createBrowserGateway({ deps, feed, outbox, keepAliveMs }: BrowserGatewayOptions) {
  const logger = deps.logger.child({ component: 'live-browser' });
  // A client that offers subprotocols closes the connection unless the server selects one of them.
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_BROWSER_FRAME_BYTES,
    handleProtocols: (protocols) => (protocols.has(TOKEN_SUBPROTOCOL) ? TOKEN_SUBPROTOCOL : false),
  });
  const sessionsByUser = new Map<string, Set<BrowserSession>>();

  const removePermissionListener = deps.permissions.onChange((userId) => {
    for (const session of sessionsByUser.get(userId) ?? []) session.recheck();
  });

  server.on('connection', (socket: WebSocket, _request: IncomingMessage, identity: BrowserIdentity, sites: string[]) => {
    const session = new BrowserSession(socket, identity, { deps, feed, outbox, logger: logger.child({ userId: identity.caller.userId }) });
    let sessions = sessionsByUser.get(session.userId);
    if (!sessions) {
      sessions = new Set();
      sessionsByUser.set(session.userId, sessions);
    }
    sessions.add(session);
    keepAlive(socket, keepAliveMs);
    session.send({ type: 'welcome', serverTime: Date.now(), sites, expiresAt: identity.expiresAtMs });

    socket.on('message', (data, isBinary) => session.receive(data, isBinary));
    socket.on('error', (error) => logger.warn({ err: error, userId: session.userId }, 'live browser socket error'));
    socket.once('close', () => {
      session.close();
      sessions.delete(session);
      if (sessions.size === 0) sessionsByUser.delete(session.userId);
    });
  });

  const authenticateBrowser = async (request: IncomingMessage): Promise<{ identity: BrowserIdentity; sites: string[] }> => {
    const token = upgradeAccessToken(request);
    if (token === undefined) {
      throw new HttpError(401, 'unauthenticated', 'missing access token: send "Authorization: Bearer <token>", the access_token subprotocol or the access_token query parameter', {
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    const { caller, expiresAtS } = await authenticateToken(deps, token);
    // authenticateToken has verified the signature, so the claim can be read without verifying again.
    const tokenPermissionsVersion = Number(decodeJwt(token).pv);
    const sites = await listWatchableSites(deps.sql, caller);
    return { identity: { caller, tokenPermissionsVersion, expiresAtMs: expiresAtS * 1000 }, sites };
  };

  return {
    /** Verifies the access token of an upgrade request to `/ws` and completes the handshake, or rejects it with 401. */
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
      authenticateUpgrade(socket, logger, 'live browser', () => authenticateBrowser(request), ({ identity, sites }) =>
        server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, request, identity, sites)),
      );
    },
    /** Closes every browser socket with 1001 so the browsers reconnect to another instance; see `closeSockets`. */
    close(graceMs: number): Promise<void> {
      removePermissionListener();
      return closeSockets(server, graceMs, logger);
    },
  };
}
