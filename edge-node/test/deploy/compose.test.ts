import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { resolveSiteConfig, substituteEnvironment } from '../../src/config/load';

// No Docker engine runs on the CI machines, so these tests keep docker-compose.yml and the
// Dockerfile in step with the code by reading them: every path they name exists, every CLI flag
// they pass is one the CLI documents, and the site file they mount validates with their variables.

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bin = `${repoRoot}edge-node/bin/edge-node.mjs`;

interface ComposeService {
  build?: { context: string; dockerfile: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  /** A list of names, or a map from name to start condition. */
  depends_on?: string[] | Record<string, { condition: string }>;
}

const compose = parseYaml(readFileSync(`${repoRoot}docker-compose.yml`, 'utf8')) as { services: Record<string, ComposeService> };

function cliHelp(...args: string[]): string {
  return execFileSync(process.execPath, [bin, ...args, '--help'], { encoding: 'utf8' });
}

function flagsOf(command: readonly string[]): string[] {
  return command.filter((arg) => arg.startsWith('--'));
}

describe('docker-compose.yml', () => {
  it('names services that exist for every dependency', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const dependencies = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dependency of dependencies) expect(compose.services, `${name} depends on ${dependency}`).toHaveProperty(dependency);
    }
  });

  it('builds from Dockerfiles whose copied paths exist', () => {
    for (const service of Object.values(compose.services)) {
      if (!service.build) continue;
      const dockerfile = `${repoRoot}${service.build.dockerfile}`;
      expect(existsSync(dockerfile), dockerfile).toBe(true);
      const copies = readFileSync(dockerfile, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('COPY '))
        .flatMap((line) => line.slice(5).trim().split(/\s+/).slice(0, -1));
      expect(copies.length).toBeGreaterThan(0);
      for (const source of copies) expect(existsSync(`${repoRoot}${source}`), `COPY source ${source}`).toBe(true);
    }
  });

  it('starts the edge node with flags the CLI accepts', () => {
    const edge = compose.services['edge-node']!;
    const [command, ...args] = edge.command!;
    expect(command).toBe('start');
    const help = cliHelp('start');
    for (const flag of flagsOf(args)) expect(help, `edge-node start ${flag}`).toContain(flag);
  });

  it('starts the simulators with flags the CLI accepts', () => {
    const simulators = compose.services.simulators!;
    const [command, ...args] = simulators.command!;
    const help = cliHelp(command!);
    for (const flag of flagsOf(args)) expect(help, `edge-node ${command} ${flag}`).toContain(flag);
  });

  it('mounts a site file that validates with the service environment', () => {
    const edge = compose.services['edge-node']!;
    const mount = edge.volumes!.find((volume) => volume.endsWith(':/etc/simtestlab/site.yaml:ro'))!;
    const siteFile = `${repoRoot}${mount.split(':')[0]!.replace(/^\.\//, '')}`;
    const issues: string[] = [];
    const document = substituteEnvironment(parseYaml(readFileSync(siteFile, 'utf8')), edge.environment ?? {}, [], issues);
    expect(issues).toEqual([]);
    const config = resolveSiteConfig(document, siteFile);
    const modbusHosts = config.devices.flatMap((device) => (device.driver === 'modbus-tcp' ? [device.connection.host] : []));
    expect(new Set(modbusHosts)).toEqual(new Set(['simulators']));
    expect(config.mqtt?.url).toBe('mqtt://mosquitto:1883');
    const bacnet = config.devices.find((device) => device.driver === 'bacnet');
    if (bacnet?.driver !== 'bacnet') throw new Error('the demo site has no BACnet device');
    expect(bacnet.connection.address).toBe('simulators:47809');
    expect(bacnet.connection.localAddress).toBe('0.0.0.0');
  });
});
