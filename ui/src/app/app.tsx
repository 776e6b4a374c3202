import { createMemo, createResource } from 'solid-js';
import { createApiClient } from '../api/http';
import type { paths as CloudPaths } from '../api/generated/cloud-api';
import type { paths as EdgePaths } from '../api/generated/edge-api';
import type { Session } from '../session/session';
import { AppContext, type AppServices } from './app-context';
import type { Instance } from './instance';
import { loadCloudViewer, loadEdgeViewer } from './load-viewer';
import { CloudRoutes, EdgeRoutes } from './routes';

/** The app for one server: typed clients for its API, the session and the viewer, then the routes of its mode. */
export function App(props: { instance: Instance; session: Session }) {
  const { instance, session } = props;
  const edge = instance.mode === 'edge' ? createApiClient<EdgePaths>(session.tokens) : null;
  const cloud = instance.mode === 'cloud' ? createApiClient<CloudPaths>(session.tokens) : null;
  const signedIn = createMemo(() => session.grant() !== null);
  const [viewer, { refetch }] = createResource(signedIn, async (isSignedIn) => {
    if (!isSignedIn) return null;
    if (edge && instance.mode === 'edge') return loadEdgeViewer(edge, instance);
    return loadCloudViewer(cloud!);
  });
  const services: AppServices = { instance, session, edge, cloud, viewer, refetchViewer: () => void refetch() };
  return <AppContext.Provider value={services}>{instance.mode === 'edge' ? <EdgeRoutes /> : <CloudRoutes />}</AppContext.Provider>;
}
