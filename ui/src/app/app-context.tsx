import type { Client } from 'openapi-fetch';
import { createContext, useContext, type Resource } from 'solid-js';
import type { paths as CloudPaths } from '../api/generated/cloud-api';
import type { paths as EdgePaths } from '../api/generated/edge-api';
import type { Session } from '../session/session';
import type { Instance } from './instance';
import type { Viewer } from './viewer';

/** Services every page may use: the server's mode, the session, the typed clients and the viewer. */
export interface AppServices {
  instance: Instance;
  session: Session;
  /** The edge node's API; set in local mode. */
  edge: Client<EdgePaths> | null;
  /** The hub's API; set in remote mode. */
  cloud: Client<CloudPaths> | null;
  viewer: Resource<Viewer | null>;
  /** Reloads the viewer, after a profile change or a permission change. */
  refetchViewer(): void;
}

export const AppContext = createContext<AppServices>();

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useApp() outside <AppContext.Provider>');
  return services;
}

/** Returns the hub client, for pages that exist only in remote mode. */
export function useCloud(): Client<CloudPaths> {
  const { cloud } = useApp();
  if (!cloud) throw new Error('this page needs the cloud hub; it is not available on the edge node');
  return cloud;
}

/** Returns the edge client, for pages that exist only in local mode. */
export function useEdge(): Client<EdgePaths> {
  const { edge } = useApp();
  if (!edge) throw new Error('this page needs the edge node API');
  return edge;
}
