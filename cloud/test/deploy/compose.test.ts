import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadMigrateConfig, loadServiceConfig } from '../../src/config/config';
import { roleOfUrl } from '../../src/db/migrate';
import {
  cliHelp,
  cloudRoutePaths,
  DATABASE_PORTS_OVERRIDE,
  envNamesReadBy,
  envOf,
  flagValues,
  healthcheckUrl,
  parseVolumeMount,
  readComposeFile,
  readDockerStages,
  readRepoFile,
  repoPathExists,
  siteFileVariables,
  type CliName,
  type ComposeFile,
  type ComposeService,
} from './deploy-files';

// docker-compose.yml compared with the code. Its commands and flags are ones the CLIs document, and
// its environment variables are ones the code reads and pass the hub's configuration checks. Its
// healthchecks request routes that exist, and its services wire up as the demo needs: roles, volumes,
// ports and start order. The checks that need the edge's site file loader are in edge-node/test/deploy/.

const compose = readComposeFile();
const services = compose.services;

/** The CLI each image runs, from the ENTRYPOINT of its Dockerfile. */
const cliOfDockerfile: Record<string, CliName> = { 'cloud/Dockerfile': 'cloud', 'edge-node/Dockerfile': 'edge-node' };

function cliOf(service: ComposeService): CliName {
  const cli = cliOfDockerfile[service.build!.dockerfile];
  if (cli === undefined) throw new Error(`no CLI known for ${service.build!.dockerfile}`);
  return cli;
}

function service(name: string): ComposeService {
  const found = services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** Services built from one of our Dockerfiles, so their command is a CLI command of ours. */
const builtServices = Object.entries(services).filter(([, definition]) => definition.build !== undefined);
/** Services that run once and exit: the ones others wait for with service_completed_successfully. */
const oneShotServices = new Set(Object.values(services).flatMap((definition) => Object.entries(definition.depends_on ?? {}).filter(([, dependency]) => dependency.condition === 'service_completed_successfully').map(([name]) => name)));

/** Merges the environment of a service's container: its image's ENV, overridden by the service's. */
function containerEnv(definition: ComposeService): Record<string, string> {
  const stages = readDockerStages(definition.build!.dockerfile);
  return { ...Object.fromEntries(envOf(stages.at(-1)!)), ...definition.environment };
}

const cloudEnvNames = envNamesReadBy(['cloud/src']);
const edgeEnvNames = envNamesReadBy(['edge-node/src']);
const ownerUrl = service('cloud-migrate').environment!.MIGRATE_DATABASE_URL!;
const runtimeUrl = service('cloud').environment!.DATABASE_URL!;
const hubPort = Number(service('cloud').environment!.PORT);

describe('docker-compose.yml commands', () => {
  it.each(builtServices)('%s runs a documented CLI command', (_name, definition) => {
    const [command] = definition.command!;
    expect(() => cliHelp(cliOf(definition), command!), `${cliOf(definition)} ${command} --help`).not.toThrow();
  });

  it.each(builtServices)('%s passes only documented flags', (_name, definition) => {
    const [command, ...args] = definition.command!;
    const help = cliHelp(cliOf(definition), command!);
    for (const flag of flagValues(args).keys()) expect(help, `${cliOf(definition)} ${command} ${flag}`).toMatch(new RegExp(`${flag}\\b`));
  });

  it('runs the demo simulators of sites a and b', () => {
    expect(flagValues(service('edge-a-simulators').command!).get('--site')).toBe('a');
    expect(flagValues(service('edge-b-simulators').command!).get('--site')).toBe('b');
  });
});

describe('docker-compose.yml environment', () => {
  it.each(builtServices.filter(([, definition]) => cliOf(definition) === 'cloud'))('%s sets only variables the hub reads', (_name, definition) => {
    const [command] = definition.command!;
    const help = cliHelp('cloud', command!);
    for (const name of Object.keys(definition.environment ?? {})) {
      expect(cloudEnvNames, `${name} is read by cloud/src`).toContain(name);
      expect(help, `cloud ${command} --help documents ${name}`).toContain(name);
    }
  });

  it.each(builtServices.filter(([, definition]) => cliOf(definition) === 'edge-node'))('%s sets only variables the edge reads', (_name, definition) => {
    const config = flagValues(definition.command!).get('--config');
    const siteVariables = config === undefined ? new Set<string>() : siteFileVariables(config.replace(/^\/app\//, ''));
    for (const name of Object.keys(definition.environment ?? {})) {
      expect(edgeEnvNames.has(name) || siteVariables.has(name), `${name} is read by edge-node/src or the site file`).toBe(true);
    }
  });

  it('gives the hub a configuration it accepts', () => {
    const config = loadServiceConfig(containerEnv(service('cloud')));
    expect(config.HOST).toBe('0.0.0.0');
    expect(config.PORT).toBe(hubPort);
  });

  it('gives the migration job a configuration it accepts', () => {
    const config = loadMigrateConfig(containerEnv(service('cloud-migrate')));
    expect(roleOfUrl(config.MIGRATE_DATABASE_URL)).not.toBe(roleOfUrl(config.DATABASE_URL));
  });

  it('connects the hub and the seed as the runtime role', () => {
    expect(service('cloud-migrate').environment!.DATABASE_URL).toBe(runtimeUrl);
    expect(service('demo-seed').environment!.DATABASE_URL).toBe(runtimeUrl);
  });

  it('gives the owner role only to the migration job', () => {
    const owner = roleOfUrl(ownerUrl);
    for (const [name, definition] of Object.entries(services)) {
      if (name === 'cloud-migrate') continue;
      for (const value of Object.values(definition.environment ?? {})) expect(value, `${name} environment`).not.toContain(`${owner}:`);
    }
  });

  it('creates every role and password the URLs name', () => {
    const initSql = readRepoFile('cloud/deploy/postgres-init.sql');
    for (const url of [ownerUrl, runtimeUrl]) {
      const parsed = new URL(url);
      expect(initSql, `role of ${url}`).toContain(`CREATE ROLE ${parsed.username} LOGIN PASSWORD '${parsed.password}'`);
      expect(initSql, `database of ${url}`).toContain(`CREATE DATABASE ${parsed.pathname.slice(1)} OWNER ${roleOfUrl(ownerUrl)}`);
      expect(parsed.host).toBe('postgres:5432');
    }
  });

  it('points the hub at the Redis service', () => {
    expect(new URL(service('cloud').environment!.REDIS_URL!).hostname).toBe('redis');
  });

  it('uses the published hub port as public URL', () => {
    const published = service('cloud').ports!.map((port) => port.split(':'));
    const publicUrl = new URL(service('cloud').environment!.PUBLIC_URL!);
    expect(published).toContainEqual(['127.0.0.1', publicUrl.port, String(hubPort)]);
    expect(service('demo-seed').environment!.PUBLIC_URL).toBe(service('cloud').environment!.PUBLIC_URL);
  });
});

describe('docker-compose.yml volumes', () => {
  it('mounts bind sources that exist', () => {
    for (const [name, definition] of Object.entries(services)) {
      for (const mount of (definition.volumes ?? []).map(parseVolumeMount)) {
        if (mount.bind) expect(repoPathExists(mount.source), `${name} mounts ${mount.source}`).toBe(true);
        else expect(compose.volumes, `${name} mounts volume ${mount.source}`).toHaveProperty(mount.source);
      }
    }
  });

  it('mounts the keys folder the hub reads', () => {
    const cloud = service('cloud');
    const keysDir = containerEnv(cloud).JWT_KEYS_DIR;
    expect(cloud.volumes!.map(parseVolumeMount).map((mount) => mount.target)).toContain(keysDir);
  });

  it('shares the demo folder from the seed', () => {
    const out = flagValues(service('demo-seed').command!).get('--out')!;
    const seedMount = service('demo-seed').volumes!.map(parseVolumeMount).find((mount) => mount.target === out);
    expect(seedMount?.readOnly).toBe(false);
    // The header comment prints the logins with `docker compose exec cloud cat /demo/logins.json`.
    expect(readRepoFile('docker-compose.yml')).toContain(`docker compose exec cloud cat ${out}/logins.json`);
    for (const name of ['cloud', 'edge-a-pair', 'edge-b-pair']) {
      const mount = service(name).volumes!.map(parseVolumeMount).find((entry) => entry.source === seedMount!.source);
      expect(mount, `${name} mounts ${seedMount!.source}`).toEqual({ source: seedMount!.source, target: out, readOnly: true, bind: false });
    }
  });

  it.each(['a', 'b'])('pairs edge %s in its data volume', (site) => {
    const pairArgs = flagValues(service(`edge-${site}-pair`).command!);
    const edgeArgs = flagValues(service(`edge-${site}`).command!);
    expect(pairArgs.get('--data')).toBe(edgeArgs.get('--data'));
    const dataVolume = (name: string) => service(name).volumes!.map(parseVolumeMount).find((mount) => mount.target === edgeArgs.get('--data'))?.source;
    expect(dataVolume(`edge-${site}`)).toBe(`edge-${site}-data`);
    expect(dataVolume(`edge-${site}-pair`)).toBe(`edge-${site}-data`);
    expect(pairArgs.get('--code-file')).toBe(`${flagValues(service('demo-seed').command!).get('--out')}/demo-site-${site}.pairing-code`);
    expect(pairArgs.has('--if-unpaired')).toBe(true);
    expect(new URL(pairArgs.get('--cloud')!)).toMatchObject({ hostname: 'cloud', port: String(hubPort) });
  });

  it('gives the broker a no-auth listener on the port clients use', () => {
    const mount = service('mosquitto').volumes!.map(parseVolumeMount).find((entry) => entry.bind)!;
    const config = readRepoFile(mount.source);
    expect(service('mosquitto').command).toContain(mount.target);
    expect(config).toMatch(/^listener 1883$/m);
    expect(config).toMatch(/^allow_anonymous true$/m);
    for (const name of ['edge-a-simulators', 'edge-b-simulators']) expect(flagValues(service(name).command!).get('--broker')).toBe('mqtt://mosquitto:1883');
  });
});

describe('docker-compose.yml ports and health', () => {
  const expectedPorts: Record<string, string> = { cloud: '8090', 'edge-a': '8081', 'edge-b': '8082' };

  it('publishes only the hub and the edges, on loopback', () => {
    const published = Object.entries(services).flatMap(([name, definition]) => (definition.ports ?? []).map((port) => ({ name, parts: port.split(':') })));
    expect(published.map((entry) => entry.name).sort()).toEqual(Object.keys(expectedPorts).sort());
    for (const { name, parts } of published) {
      expect(parts[0], `${name} binds loopback`).toBe('127.0.0.1');
      expect(parts[1], `${name} host port`).toBe(expectedPorts[name]);
    }
  });

  it('publishes the databases only by override', () => {
    const override = parseYaml(readRepoFile(DATABASE_PORTS_OVERRIDE)) as ComposeFile;
    expect(Object.keys(override.services).sort()).toEqual(['postgres', 'redis']);
    expect(override.services.postgres!.ports).toEqual(['127.0.0.1:5432:5432']);
    expect(override.services.redis!.ports).toEqual(['127.0.0.1:6379:6379']);
    // The header names the superuser URL of the compose file's Postgres.
    const password = service('postgres').environment!.POSTGRES_PASSWORD!;
    expect(readRepoFile(DATABASE_PORTS_OVERRIDE)).toContain(`postgres://postgres:${password}@127.0.0.1:5432/postgres`);
  });

  it.each(['edge-a', 'edge-b'])('%s listens on its published container port', (name) => {
    const port = flagValues(service(name).command!).get('--port');
    expect(service(name).ports!.map((entry) => entry.split(':')[2])).toEqual([port]);
  });

  it('checks the health of every long-running service', () => {
    for (const [name, definition] of Object.entries(services)) {
      if (oneShotServices.has(name) || name.endsWith('-simulators')) continue;
      expect(definition.healthcheck?.test, `${name} healthcheck`).toBeDefined();
    }
  });

  it('checks hub health on a route that exists', async () => {
    const url = healthcheckUrl(service('cloud').healthcheck!.test!);
    expect(url?.port).toBe(hubPort);
    expect(await cloudRoutePaths()).toContain(url?.path);
  });

  it.each(['edge-a', 'edge-b'])('checks %s health on its port', (name) => {
    // edge-node/test/deploy checks that the path is one of the edge's routes.
    expect(healthcheckUrl(service(name).healthcheck!.test!)?.port).toBe(Number(flagValues(service(name).command!).get('--port')));
  });

  it('waits only for healthchecks that exist', () => {
    for (const [name, definition] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(definition.depends_on ?? {})) {
        expect(services, `${name} depends on ${dependency}`).toHaveProperty(dependency);
        if (condition === 'service_healthy') {
          const target = service(dependency);
          const imageHealthcheck = target.build !== undefined && readRepoFile(target.build.dockerfile).includes('HEALTHCHECK');
          expect(target.healthcheck?.disable !== true && (target.healthcheck?.test !== undefined || imageHealthcheck), `${dependency} has a healthcheck`).toBe(true);
        }
      }
    }
  });

  it('turns off the image healthcheck where no server runs', () => {
    for (const [name, definition] of builtServices) {
      const serves = definition.command![0] === 'start';
      if (!serves) expect(definition.healthcheck?.disable, `${name} healthcheck`).toBe(true);
    }
  });

  it('restarts long-running services and not one-shots', () => {
    for (const [name, definition] of Object.entries(services)) {
      expect(definition.restart, `${name} restart`).toBe(oneShotServices.has(name) ? 'no' : 'unless-stopped');
    }
  });

  it('starts the hub after its migration, seed and Redis', () => {
    expect(service('cloud').depends_on).toEqual({
      'cloud-migrate': { condition: 'service_completed_successfully' },
      'demo-seed': { condition: 'service_completed_successfully' },
      redis: { condition: 'service_healthy' },
    });
    expect(service('demo-seed').depends_on).toEqual({ 'cloud-migrate': { condition: 'service_completed_successfully' } });
    expect(service('cloud-migrate').depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it.each(['a', 'b'])('starts edge %s after pairing', (site) => {
    expect(service(`edge-${site}`).depends_on).toMatchObject({ [`edge-${site}-pair`]: { condition: 'service_completed_successfully' } });
    expect(service(`edge-${site}-pair`).depends_on).toMatchObject({ cloud: { condition: 'service_healthy' } });
  });

  it('names no registry host in images', () => {
    for (const [name, definition] of Object.entries(services)) {
      const firstSegment = definition.image!.split('/')[0]!;
      const isHost = definition.image!.includes('/') && /[.:]/.test(firstSegment);
      expect(isHost, `${name} image ${definition.image}`).toBe(false);
    }
  });
});
