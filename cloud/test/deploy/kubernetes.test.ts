import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BODY_BYTES } from '@simtestlab/sync';
import { loadMigrateConfig, loadServiceConfig } from '../../src/config/config';
import { roleOfUrl } from '../../src/db/migrate';
import { cliHelp, cloudRoutePaths, envNamesReadBy, kubernetesDir, readDockerStages, readManifests, readRepoFile, repoRoot, instructionsOf, argumentsOf, type KubernetesObject } from './deploy-files';

// The manifests of deploy/kubernetes compared with the hub. They parse and kustomization.yaml lists
// them. The environment they give the hub passes its configuration checks, the probes request routes
// that exist, and the container port is the one the hub listens on. The pods run locked down.

interface Container {
  name: string;
  image: string;
  args: string[];
  ports?: { name: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: { httpGet: { path: string; port: string | number } };
  readinessProbe?: { httpGet: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  volumes?: { name: string; emptyDir?: object; secret?: { secretName: string } }[];
}

const manifestFiles = readdirSync(join(repoRoot, kubernetesDir)).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
const objects = manifestFiles.flatMap(readManifests);
const kustomization = readManifests('kustomization.yaml')[0] as unknown as { resources: string[]; images: { name: string }[] };

function find(kind: string, name?: string): KubernetesObject {
  const found = objects.find((object) => object.kind === kind && (name === undefined || object.metadata.name === name));
  if (found === undefined) throw new Error(`${kubernetesDir} has no ${kind}${name === undefined ? '' : ` named ${name}`}`);
  return found;
}

const namespace = find('Namespace').metadata.name;
const deployment = find('Deployment') as KubernetesObject & { spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } };
const job = find('Job') as KubernetesObject & { spec: { template: { spec: PodSpec } } };
const hub = deployment.spec.template.spec.containers[0]!;
const migrate = job.spec.template.spec.containers[0]!;

function dataOf(kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> {
  const object = find(kind, name) as KubernetesObject & { data?: Record<string, string>; stringData?: Record<string, string> };
  return { ...object.data, ...object.stringData };
}

/** Resolves the environment a container gets from its envFrom and env entries against the manifests. */
function containerEnv(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, dataOf('ConfigMap', source.configMapRef.name));
    if (source.secretRef) Object.assign(env, dataOf('Secret', source.secretRef.name));
  }
  for (const entry of container.env ?? []) {
    const secretRef = entry.valueFrom?.secretKeyRef;
    env[entry.name] = secretRef ? dataOf('Secret', secretRef.name)[secretRef.key]! : entry.value!;
  }
  return env;
}

/** Variables the hub's image sets, which the manifests' values override. */
const imageEnv = Object.fromEntries(
  instructionsOf(readDockerStages('cloud/Dockerfile').at(-1)!, 'ENV').flatMap((instruction) => argumentsOf(instruction).map((pair) => pair.split('=') as [string, string])),
);

describe('deploy/kubernetes manifests', () => {
  it('lists every manifest in kustomization.yaml', () => {
    expect([...kustomization.resources].sort()).toEqual([...manifestFiles].sort());
  });

  it('puts every object in the namespace', () => {
    for (const object of objects) {
      expect(object.apiVersion, object.kind).toBeTruthy();
      if (object.kind !== 'Namespace') expect(object.metadata.namespace, `${object.kind} ${object.metadata.name}`).toBe(namespace);
    }
  });

  it('uses the image kustomize replaces', () => {
    const imageNames = kustomization.images.map((image) => image.name);
    for (const container of [hub, migrate]) expect(imageNames).toContain(container.image.split(':')[0]);
    // No registry host: kustomize's images entry sets it per deployment.
    for (const container of [hub, migrate]) expect(container.image).not.toContain('/');
  });

  it('runs two hub replicas', () => {
    expect(deployment.spec.replicas).toBe(2);
  });
});

describe('hub Deployment', () => {
  const env = { ...imageEnv, ...containerEnv(hub) };

  it('runs cloud start', () => {
    expect(hub.args).toEqual(['start']);
    expect(() => cliHelp('cloud', 'start')).not.toThrow();
  });

  it('gives the hub a configuration it accepts', () => {
    const config = loadServiceConfig(env);
    expect(config.HOST).toBe('0.0.0.0');
    expect(config.COOKIE_SECURE).toBe(true);
  });

  it('sets only variables the hub reads', () => {
    const names = envNamesReadBy(['cloud/src']);
    for (const name of Object.keys(containerEnv(hub))) expect(names, name).toContain(name);
    for (const name of Object.keys(containerEnv(migrate))) expect(names, name).toContain(name);
  });

  it('keeps the owner role away from the hub', () => {
    expect(env.MIGRATE_DATABASE_URL).toBeUndefined();
  });

  it('listens on the container port', () => {
    expect(hub.ports).toEqual([{ name: 'http', containerPort: Number(env.PORT) }]);
  });

  it('probes routes that exist on the named port', async () => {
    const paths = await cloudRoutePaths();
    expect(hub.livenessProbe?.httpGet.path).toBe('/healthz');
    expect(hub.readinessProbe?.httpGet.path).toBe('/readyz');
    for (const probe of [hub.livenessProbe!, hub.readinessProbe!]) {
      expect(paths).toContain(probe.httpGet.path);
      expect(probe.httpGet.port).toBe('http');
    }
  });

  it('mounts the shared signing keys where the hub reads them', () => {
    const keysMount = hub.volumeMounts!.find((mount) => mount.mountPath === env.JWT_KEYS_DIR);
    expect(keysMount?.readOnly).toBe(true);
    const volume = deployment.spec.template.spec.volumes!.find((entry) => entry.name === keysMount!.name);
    expect(volume?.secret?.secretName).toBeTruthy();
  });

  it('runs locked down', () => {
    for (const [container, pod] of [
      [hub, deployment.spec.template.spec],
      [migrate, job.spec.template.spec],
    ] as const) {
      expect(pod.securityContext?.runAsNonRoot, container.name).toBe(true);
      expect(pod.securityContext?.runAsUser, container.name).toBeGreaterThan(0);
      expect(container.securityContext, container.name).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      const tmp = container.volumeMounts!.find((mount) => mount.mountPath === '/tmp');
      expect(pod.volumes!.find((volume) => volume.name === tmp?.name)?.emptyDir, `${container.name} /tmp`).toBeDefined();
      expect(container.resources?.requests?.memory, container.name).toBeDefined();
      expect(container.resources?.limits?.memory, container.name).toBeDefined();
    }
  });

  it('matches the image user', () => {
    const user = argumentsOf(instructionsOf(readDockerStages('cloud/Dockerfile').at(-1)!, 'USER')[0]!)[0]!;
    expect(deployment.spec.template.spec.securityContext?.runAsUser).toBe(Number(user.split(':')[0]));
  });
});

describe('migration Job', () => {
  it('migrates as the owner role and grants the hub role', () => {
    expect(migrate.args).toEqual(['migrate']);
    const config = loadMigrateConfig(containerEnv(migrate));
    expect(roleOfUrl(config.MIGRATE_DATABASE_URL)).not.toBe(roleOfUrl(config.DATABASE_URL));
    expect(config.DATABASE_URL).toBe(containerEnv(hub).DATABASE_URL);
  });
});

describe('hub traffic', () => {
  const labels = deployment.spec.template.metadata.labels;
  const matches = (selector: Record<string, string>) => Object.entries(selector).every(([key, value]) => labels[key] === value);

  it('selects the hub pods', () => {
    expect(matches(deployment.spec.selector.matchLabels)).toBe(true);
    expect(matches((find('Service') as unknown as { spec: { selector: Record<string, string> } }).spec.selector)).toBe(true);
    expect(matches((find('PodDisruptionBudget') as unknown as { spec: { selector: { matchLabels: Record<string, string> } } }).spec.selector.matchLabels)).toBe(true);
  });

  it('keeps a replica during disruptions', () => {
    const budget = find('PodDisruptionBudget') as unknown as { spec: { minAvailable: number } };
    expect(budget.spec.minAvailable).toBeGreaterThan(0);
    expect(budget.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
  });

  it('routes the Ingress to the Service port', () => {
    const service = find('Service') as unknown as { metadata: { name: string }; spec: { ports: { name: string; targetPort: string }[] } };
    const ingress = find('Ingress') as unknown as { spec: { rules: { http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] } }[] } };
    const backend = ingress.spec.rules[0]!.http.paths[0]!.backend.service;
    expect(backend.name).toBe(service.metadata.name);
    expect(service.spec.ports.map((port) => port.name)).toContain(backend.port.name);
    expect(service.spec.ports[0]!.targetPort).toBe('http');
  });

  it('suggests a body limit above the largest upload', () => {
    const suggested = /proxy-body-size: "(\d+)m"/.exec(readRepoFile(`${kubernetesDir}/ingress.yaml`));
    expect(Number(suggested?.[1]) * 1024 * 1024).toBeGreaterThan(MAX_UPLOAD_BODY_BYTES);
  });
});
