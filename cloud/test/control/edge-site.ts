import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EDGE_NODE_DIR, type EdgeProcess } from '../sync-faults/edge-process';

/*
 * A paired edge process with a Modbus device and an alarm rule in its site file, for the end-to-end
 * tests of remote control and hub alarm actions.
 */

const run = promisify(execFile);

/** Holding register of the controlled setpoint, and the value the edge restores when a lease ends. */
export const SETPOINT_ADDRESS = 10;
export const SAFE_VALUE = 5;
/** Holding register the alarm rule watches: above 100 raises `high-power`. */
export const POWER_ADDRESS = 20;
export const ALARM_RULE_ID = 'high-power';

/** Writes the site file of a paired data folder: a Modbus TCP device `plc` on `modbusPort` and one high alarm. */
export function writeControlSite(dataDir: string, modbusPort: number): string {
  const site = {
    site: { id: 'control-site', name: 'Control site', timeZone: 'Europe/Paris' },
    cloud: { upload: { idleIntervalMs: 200 } },
    devices: [
      {
        key: 'plc',
        driver: 'modbus-tcp',
        pollIntervalMs: 200,
        connection: { host: '127.0.0.1', port: modbusPort, timeoutMs: 500 },
        points: [
          {
            key: 'setpoint',
            address: SETPOINT_ADDRESS,
            dataType: 'uint16',
            writable: true,
            min: 0,
            max: 100,
            control: { safeValue: SAFE_VALUE, leaseS: 60, minIntervalMs: 0, verifyTimeoutMs: 2_000 },
          },
          { key: 'power', address: POWER_ADDRESS, dataType: 'uint16' },
        ],
      },
    ],
    alarms: [{ id: ALARM_RULE_ID, name: 'High power', severity: 'warning', point: 'plc.power', condition: { type: 'high', limit: 100, deadband: 0 } }],
  };
  const path = join(dataDir, 'site.yaml');
  // JSON is YAML, so the edge reads this file as it reads any site file.
  writeFileSync(path, JSON.stringify(site, null, 2));
  return path;
}

/** Runs a read-only query on the edge database through a child `node` in the edge-node folder, which has better-sqlite3. */
export async function queryEdge<T>(dataDir: string, query: string, ...params: unknown[]): Promise<T[]> {
  const script = `
    import Database from 'better-sqlite3';
    const db = new Database(process.argv[1], { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 2000');
    process.stdout.write(JSON.stringify(db.prepare(process.argv[2]).all(...JSON.parse(process.argv[3]))));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, join(dataDir, 'edge.db'), query, JSON.stringify(params)], { cwd: EDGE_NODE_DIR });
  return JSON.parse(stdout) as T[];
}

/** Resolves with the URL of the edge's API once the process logged that it started. */
export async function edgeUrl(edge: EdgeProcess, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const started = edge.logLines.find((line) => line.msg === 'edge node started');
    if (started) return String(started.url);
    if (edge.child.exitCode !== null) throw new Error(`the edge process exited with ${edge.child.exitCode}: ${edge.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the edge process did not start within ${timeoutMs} ms: ${edge.stderr()}`);
}
