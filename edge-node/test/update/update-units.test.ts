import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_UPDATE_STATE_DIR } from '../../src/update/update-state';

// The units of the updater, checked by systemd's own parser and against the paths the updater uses.

const run = promisify(execFile);
const systemdDir = fileURLToPath(new URL('../../packaging/systemd/', import.meta.url));
const UNITS = ['simtestlab-edge-update.service', 'simtestlab-edge-update-recover.service', 'simtestlab-edge-update.timer'];
const workDir = mkdtempSync(join(tmpdir(), 'update-units-'));

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Returns every value of `key` in a unit file, in file order. */
function settings(text: string, key: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));
}

function unitText(name: string): string {
  return readFileSync(join(systemdDir, name), 'utf8');
}

describe('updater units', () => {
  it('pass systemd-analyze verify', async () => {
    // verify checks that ExecStart is executable, so the copies run /bin/true instead of the launcher.
    const copies = UNITS.map((name) => {
      const copy = join(workDir, name);
      writeFileSync(copy, unitText(name).replaceAll('/usr/bin/simtestlab-edge', '/bin/true'));
      return copy;
    });
    const result = await run('systemd-analyze', ['verify', '--man=no', ...copies], { encoding: 'utf8' }).catch((error: NodeJS.ErrnoException & { stdout?: string; stderr?: string }) => {
      if (error.code === 'ENOENT') throw new Error('systemd-analyze is not installed; install the systemd package to run this test', { cause: error });
      return error;
    });
    // Unknown or misspelled settings are warnings with exit code 0, so the output must be empty too.
    expect(`${result.stdout ?? ''}${result.stderr ?? ''}`).toBe('');
    expect('code' in result ? result.code : 0).toBe(0);
  });

  it('keep the updater state in its own folder', () => {
    for (const name of ['simtestlab-edge-update.service', 'simtestlab-edge-update-recover.service']) {
      expect(settings(unitText(name), 'StateDirectory')).toEqual([DEFAULT_UPDATE_STATE_DIR.replace('/var/lib/', '')]);
      expect(settings(unitText(name), 'ProtectSystem')).toEqual(['strict']);
      expect(settings(unitText(name), 'ReadWritePaths')).toEqual(['/opt/simtestlab-edge -/var/lib/simtestlab-edge']);
      expect(settings(unitText(name), 'NoNewPrivileges')).toEqual(['yes']);
      expect(settings(unitText(name), 'RestrictAddressFamilies')[0]).toContain('AF_UNIX');
    }
  });

  it('recover at boot when an update is pending', () => {
    const recover = unitText('simtestlab-edge-update-recover.service');
    expect(settings(recover, 'ExecStart')).toEqual([
      `/usr/bin/simtestlab-edge update recover --data /var/lib/simtestlab-edge --install-root /opt/simtestlab-edge --state-dir ${DEFAULT_UPDATE_STATE_DIR}`,
    ]);
    expect(settings(recover, 'ConditionPathExists')).toEqual([`${DEFAULT_UPDATE_STATE_DIR}/pending-update.json`]);
    expect(settings(recover, 'WantedBy')).toEqual(['multi-user.target']);
  });

  it('read no environment file, since the service user may write the config folder', () => {
    for (const name of ['simtestlab-edge-update.service', 'simtestlab-edge-update-recover.service']) {
      expect(settings(unitText(name), 'User')).toEqual(['root']);
      expect(settings(unitText(name), 'EnvironmentFile')).toEqual([]);
      expect(settings(unitText(name), 'Environment')).toEqual([]);
    }
  });

  it('apply as the contract states', () => {
    expect(settings(unitText('simtestlab-edge-update.service'), 'ExecStart')).toEqual([
      '/usr/bin/simtestlab-edge update apply --data /var/lib/simtestlab-edge --install-root /opt/simtestlab-edge',
    ]);
  });
});
