import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deviceSchema, type Device, type EffectiveRole } from '@simtestlab/sync';
import pino from 'pino';
import type { SiteActor } from '../../src/access/site-actor';
import { listAuditEntries, type AuditEntry } from '../../src/audit/audit-log';
import { ControlService } from '../../src/control/control-service';
import { controlTargets } from '../../src/control/control-targets';
import type { Driver } from '../../src/drivers/driver';
import { createDriver } from '../../src/drivers/registry';
import type { Logger } from '../../src/logger';
import { openDatabase, type SqliteDatabase } from '../../src/store/database';
import { PointRegistry } from '../../src/store/point-registry';
import { UPLOAD_QUEUE_META_KEY } from '../../src/upload/event-queue';

/** A site actor with a role, as a route or the uplink builds it. */
export function actor(role: EffectiveRole | null, id = `${role ?? 'nobody'}-1`, origin: SiteActor['origin'] = 'edge'): SiteActor {
  return { id, name: `${role ?? 'nobody'} user`, role, developer: false, origin };
}

export const manager = actor('site_manager', 'manager-1');
export const remoteManager = actor('site_manager', 'hub-manager-1', 'cloud');

/** Parses a Modbus TCP device `plc` on 127.0.0.1:`port` with the given points. */
export function modbusDevice(port: number, points: Record<string, unknown>[]): Device {
  return deviceSchema.parse({
    key: 'plc',
    driver: 'modbus-tcp',
    pollIntervalMs: 60_000,
    connection: { host: '127.0.0.1', port, timeoutMs: 300 },
    points,
  });
}

/** Log lines a test logger captured, as parsed pino objects. */
export interface CapturedLines {
  logger: Logger;
  lines: Record<string, unknown>[];
  /** Messages at `level` or above (40 warn, 50 error). */
  messages(level: number): string[];
}

export function captureLog(): CapturedLines {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines, messages: (level) => lines.filter((line) => Number(line.level) >= level).map((line) => String(line.msg)) };
}

/** A clock the test moves on top of real time, so lease expiry can be reached without waiting. */
export class ShiftedClock {
  offsetMs = 0;
  now = (): number => Date.now() + this.offsetMs;
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/**
 * A control service on a SQLite file in a temp folder, with the upload outbox on, drivers the fixture
 * started itself for the devices, and a clock the test can move. `restart()` builds a new service on
 * the same database, as after an edge restart.
 */
export class ControlFixture {
  readonly db: SqliteDatabase;
  readonly clock = new ShiftedClock();
  readonly log = captureLog();
  readonly drivers = new Map<string, Driver>();
  service!: ControlService;
  operatorControl = false;
  private readonly dir: string;

  constructor(
    readonly devices: Device[],
    private readonly serviceOptions: { sleep?: (ms: number) => Promise<void>; releaseRetryMs?: number } = {},
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'edge-control-'));
    this.db = openDatabase(join(this.dir, 'edge.db'));
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(UPLOAD_QUEUE_META_KEY, '1');
    this.service = this.createService();
  }

  /** Starts a driver per device, as the poller does, and the service. */
  async start(): Promise<void> {
    for (const device of this.devices) {
      const driver = createDriver(device, { logger: this.log.logger, onReadings: () => undefined });
      await driver.start();
      this.drivers.set(device.key, driver);
    }
    this.service.start(this.devices);
  }

  /** Replaces the service with a new one on the same database and drivers, and starts it. */
  restart(): void {
    this.service = this.createService();
    this.service.start(this.devices);
  }

  audit(action?: string): AuditEntry[] {
    return listAuditEntries(this.db, action === undefined ? {} : { action });
  }

  /** Payloads of the queued `control` upload events, oldest first. */
  controlEvents(): Record<string, unknown>[] {
    return this.db
      .prepare<[], { payload: string }>("SELECT payload FROM upload_events WHERE kind = 'control' ORDER BY rowid")
      .all()
      .map((row) => JSON.parse(row.payload) as Record<string, unknown>);
  }

  async close(): Promise<void> {
    await this.service.stop();
    await Promise.all([...this.drivers.values()].map((driver) => driver.stop()));
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private createService(): ControlService {
    return new ControlService({
      db: this.db,
      logger: this.log.logger,
      targets: controlTargets({ devices: this.devices, registry: new PointRegistry(this.db), driverOf: (key) => this.drivers.get(key) }),
      fileOperatorControl: this.operatorControl,
      timing: { now: this.clock.now, ...(this.serviceOptions.sleep ? { sleep: this.serviceOptions.sleep } : {}) },
      releaseRetryMs: this.serviceOptions.releaseRetryMs ?? 50,
      maxReleaseRetryMs: 400,
    });
  }
}

/** Waits until `check` returns true, polling every 20 ms, or fails after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
