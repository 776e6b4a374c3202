import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadMigrateConfig, loadServiceConfig } from '../../src/config/config';
import { roleOfUrl } from '../../src/db/migrate';

// No Docker engine runs on the CI machines, so these tests keep the cloud services of
// docker-compose.yml in step with the code by reading them: their environments pass the hub's own
// configuration checks, their commands are CLI commands, and the init script creates the roles
// their URLs name.

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface ComposeService {
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
}

const compose = parseYaml(readFileSync(`${repoRoot}docker-compose.yml`, 'utf8')) as { services: Record<string, ComposeService> };
const cloud = compose.services.cloud!;
const migrateJob = compose.services['cloud-migrate']!;
const initSql = readFileSync(`${repoRoot}cloud/deploy/postgres-init.sql`, 'utf8');

describe('docker-compose.yml cloud services', () => {
  it('gives the hub a configuration it accepts', () => {
    const config = loadServiceConfig(cloud.environment);
    expect(config.HOST).toBe('0.0.0.0');
    expect(config.JWT_KEYS_DIR).toBe('/var/lib/simtestlab-cloud/keys');
  });

  it('gives the migration job a configuration it accepts', () => {
    const config = loadMigrateConfig(migrateJob.environment);
    expect(roleOfUrl(config.MIGRATE_DATABASE_URL)).not.toBe(roleOfUrl(config.DATABASE_URL));
  });

  it('connects the hub as the role the migration grants', () => {
    expect(cloud.environment!.DATABASE_URL).toBe(migrateJob.environment!.DATABASE_URL);
  });

  it('creates every role and password the URLs name', () => {
    for (const url of [migrateJob.environment!.MIGRATE_DATABASE_URL!, migrateJob.environment!.DATABASE_URL!]) {
      const parsed = new URL(url);
      expect(initSql, `role of ${url}`).toContain(`CREATE ROLE ${parsed.username} LOGIN PASSWORD '${parsed.password}'`);
      expect(initSql, `database of ${url}`).toContain(`CREATE DATABASE ${parsed.pathname.slice(1)} OWNER`);
    }
  });

  it('mounts the keys folder the hub reads', () => {
    expect(cloud.volumes!.some((volume) => volume.endsWith(`:${cloud.environment!.JWT_KEYS_DIR}`))).toBe(true);
  });

  it('runs commands the CLI documents', () => {
    for (const service of [cloud, migrateJob]) {
      const [command] = service.command!;
      const help = execFileSync(process.execPath, [`${repoRoot}cloud/bin/cloud.mjs`, command!, '--help'], { encoding: 'utf8' });
      expect(help.length, `cloud ${command} --help`).toBeGreaterThan(0);
    }
  });

  it('builds from a Dockerfile whose entry point exists', () => {
    const dockerfile = readFileSync(`${repoRoot}${cloud.build!.dockerfile}`, 'utf8');
    const entrypoint = /ENTRYPOINT \["node", "([^"]+)"\]/.exec(dockerfile);
    expect(entrypoint).not.toBeNull();
    expect(existsSync(`${repoRoot}${entrypoint![1]}`)).toBe(true);
  });
});
