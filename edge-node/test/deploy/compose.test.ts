import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { edgeOpenApiDocument } from '../../src/api/openapi';
import { resolveSiteConfig, substituteEnvironment } from '../../src/config/load';

// The edge services of docker-compose.yml and the edge image checked with the edge's own code: each
// edge's site file validates with the service's environment and polls its own simulators service,
// and the healthchecks request a route the edge serves. The rest of the compose file and both
// Dockerfiles are checked in cloud/test/deploy/.

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** WORKDIR of the edge image, where its COPY instructions put the repository's folders. */
const imageWorkdir = '/app/';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] };
}

const compose = parseYaml(readFileSync(`${repoRoot}docker-compose.yml`, 'utf8')) as { services: Record<string, ComposeService> };

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

function flagValue(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index === -1 ? undefined : args[index + 1];
}

/** Finds the path of the first `http://127.0.0.1:PORT/PATH` URL in a healthcheck command. */
function healthcheckPath(text: string): string | undefined {
  return /http:\/\/127\.0\.0\.1:\d+(\/[A-Za-z0-9/_.-]*)/.exec(text)?.[1];
}

/** The demo site file of each `edge-node demo --site` value, as `edge-node demo --help` names them. */
const siteFiles = { a: 'edge-node/sites/demo-site.yaml', b: 'edge-node/sites/demo-site-b.yaml' } as const;
const sites = Object.keys(siteFiles) as (keyof typeof siteFiles)[];

describe('docker-compose.yml edge services', () => {
  it('runs the site files the demo command names', () => {
    const help = execFileSync(process.execPath, [`${repoRoot}edge-node/bin/edge-node.mjs`, 'demo', '--help'], { encoding: 'utf8' });
    for (const site of sites) {
      expect(help, `site ${site}`).toContain(siteFiles[site]);
      expect(flagValue(service(`edge-${site}-simulators`).command!, '--site')).toBe(site);
      expect(flagValue(service(`edge-${site}`).command!, '--config')).toBe(`${imageWorkdir}${siteFiles[site]}`);
    }
  });

  it.each(sites)('gives edge %s a site file that validates with its environment', (site) => {
    const edge = service(`edge-${site}`);
    const siteFile = `${repoRoot}${siteFiles[site]}`;
    const issues: string[] = [];
    const document = substituteEnvironment(parseYaml(readFileSync(siteFile, 'utf8')), edge.environment ?? {}, [], issues);
    expect(issues).toEqual([]);
    const config = resolveSiteConfig(document, siteFile);

    const simulators = `edge-${site}-simulators`;
    const modbusHosts = config.devices.flatMap((device) => (device.driver === 'modbus-tcp' ? [device.connection.host] : []));
    expect(modbusHosts.length).toBeGreaterThan(0);
    expect(new Set(modbusHosts)).toEqual(new Set([simulators]));

    const bacnet = config.devices.find((device) => device.driver === 'bacnet');
    if (bacnet?.driver !== 'bacnet') throw new Error(`${siteFiles[site]} has no BACnet device`);
    expect(bacnet.connection.address?.split(':')[0]).toBe(simulators);
    // The client must listen on the container's network to receive the simulator's replies.
    expect(bacnet.connection.localAddress).toBe('0.0.0.0');

    const hasMqttDevice = config.devices.some((device) => device.driver === 'mqtt');
    if (hasMqttDevice) expect(config.mqtt?.url).toBe(flagValue(service(simulators).command!, '--broker'));
  });

  it.each(sites)('checks edge %s health on an edge route', (site) => {
    const path = healthcheckPath(service(`edge-${site}`).healthcheck!.test!.join(' '));
    expect(Object.keys(edgeOpenApiDocument().paths ?? {})).toContain(path);
  });
});

describe('edge-node/Dockerfile', () => {
  const dockerfile = DockerfileParser.parse(readFileSync(`${repoRoot}edge-node/Dockerfile`, 'utf8'));

  it('checks health on an edge route', () => {
    const healthchecks = dockerfile.getHEALTHCHECKs();
    expect(healthchecks).toHaveLength(1);
    const path = healthcheckPath(healthchecks[0]!.getArguments().map((argument) => argument.getValue()).join(' '));
    expect(Object.keys(edgeOpenApiDocument().paths ?? {})).toContain(path);
  });
});
