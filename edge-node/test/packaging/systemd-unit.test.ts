import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// The service unit of the edge package, checked by systemd's own parser and against the install
// layout the .deb, the tarball, the disk image and the updater share.

const run = promisify(execFile);
const unitPath = fileURLToPath(new URL('../../packaging/systemd/simtestlab-edge.service', import.meta.url));
const unitText = readFileSync(unitPath, 'utf8');
const EXEC_START =
  '/opt/simtestlab-edge/current/bin/simtestlab-edge start --config /etc/simtestlab-edge/site.yaml --data /var/lib/simtestlab-edge --host 0.0.0.0 --port 8080 --allow-remote';

/** Parses a unit file into its settings by section, each key with all its values in file order. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(trimmed);
    if (header) {
      current = new Map();
      sections.set(header[1]!, current);
      continue;
    }
    const separator = trimmed.indexOf('=');
    if (current === undefined || separator === -1) throw new Error(`unexpected line in ${unitPath}: ${line}`);
    const key = trimmed.slice(0, separator);
    current.set(key, [...(current.get(key) ?? []), trimmed.slice(separator + 1)]);
  }
  return sections;
}

const service = parseUnit(unitText).get('Service')!;
const workDir = mkdtempSync(join(tmpdir(), 'edge-unit-'));

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('simtestlab-edge.service', () => {
  it('passes systemd-analyze verify', async () => {
    // verify checks that ExecStart is executable, so the copy points at a stand-in launcher.
    const launcher = join(workDir, 'simtestlab-edge');
    writeFileSync(launcher, '#!/bin/sh\n');
    chmodSync(launcher, 0o755);
    const copy = join(workDir, 'simtestlab-edge.service');
    writeFileSync(copy, unitText.replace('/opt/simtestlab-edge/current/bin/simtestlab-edge', launcher));

    const result = await run('systemd-analyze', ['verify', '--man=no', copy], { encoding: 'utf8' }).catch((error: NodeJS.ErrnoException & { stdout?: string; stderr?: string }) => {
      if (error.code === 'ENOENT') throw new Error('systemd-analyze is not installed; install the systemd package to run this test', { cause: error });
      return error;
    });
    // Unknown or misspelled settings are warnings with exit code 0, so the output must be empty too.
    expect(`${result.stdout ?? ''}${result.stderr ?? ''}`).toBe('');
    expect('code' in result ? result.code : 0).toBe(0);
  });

  it('runs the contract command as its own user', () => {
    expect(service.get('ExecStart')).toEqual([EXEC_START]);
    expect(service.get('User')).toEqual(['simtestlab-edge']);
    expect(service.get('Group')).toEqual(['simtestlab-edge']);
    expect(service.get('SupplementaryGroups')).toEqual(['dialout']);
    expect(service.get('Restart')).toEqual(['on-failure']);
    expect(parseUnit(unitText).get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('keeps state and config where the layout puts them', () => {
    expect(service.get('StateDirectory')).toEqual(['simtestlab-edge']);
    expect(service.get('ConfigurationDirectory')).toEqual(['simtestlab-edge']);
    expect(service.get('ConfigurationDirectoryMode')).toEqual(['1770']);
    expect(service.get('ReadWritePaths')).toEqual(['/etc/simtestlab-edge']);
    expect(service.get('EnvironmentFile')).toEqual(['-/etc/simtestlab-edge/edge.env']);
    expect(service.get('StandardOutput')).toEqual(['journal+console']);
  });

  it.each([
    ['NoNewPrivileges', 'yes'],
    ['ProtectSystem', 'strict'],
    ['ProtectHome', 'yes'],
    ['PrivateTmp', 'yes'],
    ['PrivateDevices', 'no'],
    ['DevicePolicy', 'closed'],
    ['ProtectKernelTunables', 'yes'],
    ['ProtectKernelModules', 'yes'],
    ['ProtectKernelLogs', 'yes'],
    ['ProtectControlGroups', 'yes'],
    ['RestrictAddressFamilies', 'AF_INET AF_INET6 AF_UNIX AF_NETLINK'],
    ['CapabilityBoundingSet', ''],
    ['LimitNOFILE', '65536'],
  ])('sets %s=%s', (key, value) => {
    expect(service.get(key)).toEqual([value]);
  });

  it('allows the serial ports of Modbus RTU', () => {
    expect(service.get('DeviceAllow')).toEqual(expect.arrayContaining(['char-ttyS rw', 'char-ttyUSB rw']));
  });

  it('leaves the V8 JIT its writable code memory', () => {
    expect(service.has('MemoryDenyWriteExecute')).toBe(false);
  });
});
