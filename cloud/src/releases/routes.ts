import { Readable } from 'node:stream';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { releaseChannelSchema, signedReleaseManifestSchema } from '@simtestlab/sync';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, HttpError } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { authenticateEdge } from '../edge-auth/authenticate-edge';
import { openArtifact, readChannelManifest } from './release-files';

/** Settings of the release routes, from RELEASES_DIR. */
export interface ReleaseSettings {
  /** Folder with `<channel>.manifest.json` files and the artifacts they name; unset means no releases. */
  releasesDir?: string;
}

const channelParams = z.object({ channel: z.enum(releaseChannelSchema.options).openapi({ param: { name: 'channel', in: 'path' }, example: 'stable' }) });
const artifactParams = channelParams.extend({
  file: z.string().min(1).openapi({ param: { name: 'file', in: 'path' }, example: 'simtestlab-edge-1.2.0-linux-x64.tar.gz' }),
});

const errors = { ...errorResponses(400, 401, 404, 503), 426: { description: 'The edge speaks an edge-hub protocol version this hub does not serve' } };

/** Builds the two route definitions, whose middleware needs the app's dependencies. */
function releaseRoutes(deps: AppDeps) {
  const manifestRoute = createRoute({
    method: 'get',
    path: '/api/edge/releases/{channel}',
    tags: ['edge'],
    summary: "Read the signed release manifest of a channel (edge assertion)",
    description:
      'Returns `<channel>.manifest.json` from RELEASES_DIR as the offline release tool signed it. The hub does not sign or check signatures: ' +
      'edges verify them against their own trusted keys. 404 `no_release` when nothing is published on the channel or RELEASES_DIR is unset.',
    security: bearerSecurity,
    middleware: [authenticateEdge(deps)] as const,
    request: { params: channelParams },
    responses: {
      200: { description: 'The signed manifest', content: { 'application/json': { schema: signedReleaseManifestSchema } } },
      ...errors,
    },
  });

  const artifactRoute = createRoute({
    method: 'get',
    path: '/api/edge/releases/{channel}/artifacts/{file}',
    tags: ['edge'],
    summary: "Download an artifact of a channel's current release (edge assertion)",
    description: 'Streams a file from RELEASES_DIR. Only files the channel manifest names are served; any other name gets 404, and a name with a path gets 400.',
    security: bearerSecurity,
    middleware: [authenticateEdge(deps)] as const,
    request: { params: artifactParams },
    responses: {
      200: { description: 'The artifact', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
      ...errors,
    },
  });
  return { manifestRoute, artifactRoute };
}

/** Returns the releases folder, or raises 404 when this hub publishes none. */
function requireReleasesDir(settings: ReleaseSettings, channel: string): string {
  if (settings.releasesDir === undefined) throw new HttpError(404, 'no_release', `no release is published on channel ${channel}: RELEASES_DIR is not set on this hub`);
  return settings.releasesDir;
}

/** Registers the routes that serve signed edge releases from RELEASES_DIR to paired edges. */
export function registerReleaseRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps & ReleaseSettings): void {
  const readManifest = async (channel: 'stable' | 'beta', logger: AppDeps['logger']) => {
    try {
      return await readChannelManifest(requireReleasesDir(deps, channel), channel);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      logger.error({ err: error, channel }, 'reading the release manifest failed');
      throw new HttpError(503, 'release_unavailable', `the release manifest of channel ${channel} cannot be read on the hub; an operator must publish it again`);
    }
  };

  const { manifestRoute, artifactRoute } = releaseRoutes(deps);

  app.openapi(manifestRoute, async (c) => {
    const { channel } = c.req.valid('param');
    const signed = await readManifest(channel, c.var.logger);
    c.header('Cache-Control', 'no-store');
    return c.json(signed, 200);
  });

  app.openapi(artifactRoute, async (c) => {
    const { channel, file } = c.req.valid('param');
    const signed = await readManifest(channel, c.var.logger);
    const opened = await openArtifact(requireReleasesDir(deps, channel), signed, file);
    const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(opened.size), 'Cache-Control': 'no-store' };
    if (c.req.method === 'HEAD') {
      await opened.handle.close();
      return c.body(null, 200, headers);
    }
    c.var.logger.info({ edgeNodeId: c.var.edge.edgeNodeId, channel, file, version: signed.manifest.version, bytes: opened.size }, 'serving a release artifact');
    const stream = Readable.toWeb(opened.handle.createReadStream()) as ReadableStream<Uint8Array>;
    return c.body(stream, 200, headers);
  });
}
