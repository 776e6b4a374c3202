import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProbeReport } from './netns-guard-probe';

/**
 * The loopback guard is only meaningful with a client on another address. This test needs root (or
 * CAP_SYS_ADMIN and CAP_NET_ADMIN) for `unshare -n` and `ip`: it creates a private network namespace,
 * adds 10.77.0.1 to its `lo`, and runs netns-guard-probe.ts there, so no packet leaves the namespace.
 */

const REMOTE_ADDRESS = '10.77.0.1';
const edgeNodeDir = fileURLToPath(new URL('../../', import.meta.url));

function runProbe(): Promise<ProbeReport> {
  const script = [
    'ip link set lo up',
    `ip addr add ${REMOTE_ADDRESS}/32 dev lo`,
    `exec "$0" --import tsx test/api/netns-guard-probe.ts ${REMOTE_ADDRESS}`,
  ].join(' && ');
  return new Promise((resolve, reject) => {
    execFile('unshare', ['--net', 'sh', '-c', script, process.execPath], { cwd: edgeNodeDir, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`the network namespace probe failed (needs unshare and ip from util-linux and iproute2, run as root): ${error.message}\n${stderr}`));
        return;
      }
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as ProbeReport);
    });
  });
}

describe('loopback guard in a network namespace', () => {
  let report: ProbeReport;

  beforeAll(async () => {
    report = await runProbe();
  }, 90_000);

  it('refuses clients on other addresses', () => {
    const [loopbackHttp, remoteHttp] = report.guarded.http;
    const [loopbackWs, remoteWs] = report.guarded.ws;
    expect(loopbackHttp).toMatchObject({ from: '127.0.0.1', status: 200 });
    expect(remoteHttp).toMatchObject({ from: REMOTE_ADDRESS, status: 403 });
    expect(JSON.parse(remoteHttp!.body)).toMatchObject({ error: { code: 'forbidden' } });
    expect(remoteHttp!.body).toContain('--allow-remote');
    expect(loopbackWs).toMatchObject({ from: '127.0.0.1', status: 101 });
    expect(remoteWs).toMatchObject({ from: REMOTE_ADDRESS, status: 403 });
    expect(remoteWs!.body).toContain('loopback clients only');
  });

  it('answers other addresses with allowRemote', () => {
    expect(report.allowRemote.http.map((result) => [result.from, result.status])).toEqual([
      ['127.0.0.1', 200],
      [REMOTE_ADDRESS, 200],
    ]);
    expect(report.allowRemote.ws.map((result) => [result.from, result.status])).toEqual([
      ['127.0.0.1', 101],
      [REMOTE_ADDRESS, 101],
    ]);
  });
});
