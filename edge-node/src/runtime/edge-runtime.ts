import type { AnyPoint, Device, DeviceStatus, Sample } from '@simtestlab/sync';
import { decodeQuality, encodeQuality, pointId } from '@simtestlab/sync';
import { AlarmService } from '../alarms/alarm-service';
import { withMeterRoles } from '../config/meter-roles';
import type { SiteConfig } from '../config/schema';
import { ControlService } from '../control/control-service';
import { controlTargets } from '../control/control-targets';
import type { PointReading } from '../drivers/driver';
import { createDriver } from '../drivers/registry';
import { EnergySettingsReader } from '../energy/energy-settings-reader';
import { LiveHub } from '../live/live-hub';
import type { Logger } from '../logger';
import { DevicePoller } from '../poller/device-poller';
import { openDatabase, type SqliteDatabase } from '../store/database';
import { HistoryReader } from '../store/history';
import { PointRegistry } from '../store/point-registry';
import { CommitWorker } from '../store/commit-worker';
import { SampleWriter } from '../store/sample-writer';
import { queuePointCatalogIfChanged } from '../upload/point-catalog-queue';
import { LastValues } from './last-values';

const RETENTION_INTERVAL_MS = 10 * 60_000;

/**
 * Largest magnitude a reading may have. Real quantities (Wh counters of a power plant, Pa, ppm)
 * stay far below it, while corrupt frames and payloads produce values near the float limits, which
 * would overflow rollup sums.
 */
const MAX_PLAUSIBLE_MAGNITUDE = 1e18;

function implausible(reading: PointReading): boolean {
  return typeof reading.value === 'number' && !(Math.abs(reading.value) <= MAX_PLAUSIBLE_MAGNITUDE);
}
const POINT_STATE_INTERVAL_MS = 10_000;
/** How often alarms judge stale values, delays and shelve expiry when no sample arrives. */
const ALARM_TICK_INTERVAL_MS = 1000;

export interface EdgeRuntimeOptions {
  config: SiteConfig;
  databasePath: string;
  logger: Logger;
  /** Devices whose drivers should not be started (tests that drive the store directly). */
  startPollers?: boolean;
}

/**
 * The edge node without its HTTP front: database, point registry, sample writer with rollups, one
 * poller per device and the live hub. Owns the timers that commit samples, persist last values and
 * apply retention.
 */
export class EdgeRuntime {
  readonly db: SqliteDatabase;
  readonly registry: PointRegistry;
  readonly writer: SampleWriter;
  readonly history: HistoryReader;
  readonly hub: LiveHub;
  /** Alarm rules, states and actions; every change goes to the live stream. */
  readonly alarms: AlarmService;
  /** Device control: checked writes, leases and their release. */
  readonly control: ControlService;
  /** The energy settings the reports use: the hub's synced ones, else the site file's. */
  readonly energySettings: EnergySettingsReader;
  readonly lastValues = new LastValues();
  readonly pollers = new Map<string, DevicePoller>();
  readonly config: SiteConfig;
  readonly startedAt = Date.now();
  lastCommitAt = 0;
  commitFailures = 0;
  /** Readings replaced by bad samples because their magnitude was implausible. */
  implausibleValues = 0;
  readonly logger: Logger;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly changedPoints = new Set<number>();
  private commitWorker: CommitWorker | undefined;
  private commitInFlight: Promise<void> | undefined;

  constructor(private readonly options: EdgeRuntimeOptions) {
    this.config = options.config;
    this.logger = options.logger;
    this.db = openDatabase(options.databasePath);
    this.registry = new PointRegistry(this.db);
    this.registry.loadStored();
    this.writer = new SampleWriter(this.db, this.registry, this.config.site.timeZone, this.logger.child({ component: 'store' }));
    this.history = new HistoryReader(this.db, this.writer.rollups, (...query) => this.writer.uncommittedBuckets(...query));
    this.hub = new LiveHub(this.logger.child({ component: 'live' }));
    this.control = new ControlService({
      db: this.db,
      logger: this.logger.child({ component: 'control' }),
      targets: controlTargets({
        devices: this.config.devices,
        registry: this.registry,
        driverOf: (deviceKey) => this.pollers.get(deviceKey)?.startedDriver(),
      }),
      fileOperatorControl: this.config.site.operatorControl,
      lastValue: (point) => this.lastValues.raw(point)?.value,
    });
    this.alarms = new AlarmService({
      db: this.db,
      siteId: this.config.site.id,
      fileRules: this.config.alarms,
      fileOperatorControl: this.config.site.operatorControl,
      logger: this.logger.child({ component: 'alarms' }),
      pointUnit: (point) => this.registry.get(point)?.definition.unit,
    });
    this.alarms.onChange((change) => this.hub.publishAlarm(change));
    this.energySettings = new EnergySettingsReader({ db: this.db, fileEnergy: this.config.energy, logger: this.logger.child({ component: 'energy' }) });
  }

  /**
   * Recovers the store, starts the commit worker, registers devices and starts polling and the
   * periodic jobs.
   */
  async start(): Promise<void> {
    const { replayedSamples } = this.writer.recover();
    this.commitWorker = await CommitWorker.start(this.options.databasePath);
    this.logger.info({ replayedSamples, database: this.options.databasePath }, 'store recovered');
    this.loadLastValues();
    this.alarms.start();

    for (const device of this.config.devices) {
      this.registry.registerDevice(device);
      // The hub learns the device before its points, so a live client can subscribe to a SunSpec
      // device before discovery. The discovered points are then added to its subscribers.
      this.hub.setDevicePoints(device.key, []);
      if (device.points.length > 0) this.registerPoints(device, device.points);
      if (!device.enabled) continue;
      if (this.options.startPollers === false) continue;
      this.startPoller(device);
    }
    this.control.start(this.config.devices);

    this.every(this.config.storage.commitIntervalMs, () => void this.commit());
    this.every(POINT_STATE_INTERVAL_MS, () => this.persistLastValues());
    this.every(RETENTION_INTERVAL_MS, () => void this.retention());
    this.every(ALARM_TICK_INTERVAL_MS, () => this.alarms.tick());
  }

  private every(intervalMs: number, job: () => void): void {
    const timer = setInterval(job, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  private startPoller(device: Device): void {
    const logger = this.logger.child({ device: device.key, driver: device.driver });
    let poller: DevicePoller | undefined;
    const driver = createDriver(device, {
      logger: this.logger,
      ...(this.config.mqtt ? { siteMqttUrl: this.config.mqtt.url } : {}),
      onReadings: (readings) => {
        if (poller) this.ingest(device, poller.stamp(), readings, false);
      },
    });
    poller = new DevicePoller(
      device,
      driver,
      {
        onPoints: (target, points) => this.registerPoints(target, points),
        onReadings: (target, ts, readings) => this.ingest(target, ts, readings, driver.mode === 'push'),
        onStatus: (target, status, ts, error) => this.recordStatus(target, status, ts, error),
      },
      logger,
    );
    this.pollers.set(device.key, poller);
    poller.start();
  }

  private registerPoints(device: Device, points: readonly AnyPoint[]): void {
    const withRoles = withMeterRoles(device, points);
    this.registry.registerPoints(device.key, withRoles, device.pollIntervalMs);
    if (queuePointCatalogIfChanged(this.db, device.key, withRoles, Date.now())) {
      this.logger.info({ device: device.key, points: withRoles.length }, 'point catalog queued for upload');
    }
    const ids = points.map((point) => pointId(device.key, point.key));
    for (const id of ids) this.lastValues.setInterval(id, device.pollIntervalMs);
    this.hub.setDevicePoints(device.key, ids);
  }

  /**
   * Stores and publishes readings. A push driver's values arrive through its context. When such a
   * device is polled, `onlyChangesToBad` keeps only points that turned bad or stale while their last
   * sample was good, so a silent topic does not write a sample per poll.
   */
  ingest(device: Device, ts: number, readings: readonly PointReading[], onlyChangesToBad: boolean): void {
    for (const reading of readings) {
      const point = this.registry.getInDevice(device.key, reading.point);
      if (!point) continue;
      const id = point.key;
      if (onlyChangesToBad) {
        if (reading.quality === 'good') continue;
        const last = this.lastValues.raw(id);
        if (!last || last.quality !== 'good') continue;
      }
      const checked = implausible(reading) ? this.rejectImplausible(device, reading) : reading;
      const sample: Sample = { point: id, ts, value: checked.value, quality: checked.quality };
      if (checked.reason !== undefined) sample.reason = checked.reason;
      this.writer.add({ pointId: point.id, ts, value: checked.value, quality: encodeQuality(checked.quality, checked.reason) });
      this.lastValues.set(sample);
      this.changedPoints.add(point.id);
      this.hub.publish(sample);
      this.alarms.observeSample(sample);
    }
  }

  /** Stores an implausible number as a bad sample, so one garbage reading cannot spoil a rollup. */
  private rejectImplausible(device: Device, reading: PointReading): PointReading {
    this.implausibleValues++;
    if (this.implausibleValues <= 10 || this.implausibleValues % 1000 === 0) {
      this.logger.warn(
        { device: device.key, point: reading.point, value: reading.value, count: this.implausibleValues },
        `value out of range: stored as bad; magnitudes above ${MAX_PLAUSIBLE_MAGNITUDE} are treated as device or payload errors`,
      );
    }
    return { point: reading.point, value: null, quality: 'bad', reason: 'out_of_range' };
  }

  private recordStatus(device: Device, status: DeviceStatus, ts: number, error?: string): void {
    this.writer.addDeviceEvent({ ts, device: device.key, status, error: error ?? null });
    this.hub.publishDeviceStatus(device.key, status, ts, error);
    this.alarms.observeDeviceStatus(device.key, status);
  }

  /**
   * Commits queued samples in the commit worker. A call while a commit runs returns that commit's
   * promise; what arrived meanwhile goes with the next one. A failure is logged and the batch stays
   * queued for the next try.
   */
  commit(): Promise<void> {
    if (this.commitInFlight) return this.commitInFlight;
    const worker = this.commitWorker;
    if (!worker) return Promise.resolve();
    this.commitInFlight = this.writer
      .commitWith((batch) => worker.commit(batch))
      .then(
        () => {
          this.lastCommitAt = Date.now();
        },
        (error: unknown) => {
          this.commitFailures++;
          this.logger.error({ err: error, pending: this.writer.pendingCount }, 'committing samples failed: keeping them queued');
        },
      )
      .finally(() => {
        this.commitInFlight = undefined;
      });
    return this.commitInFlight;
  }

  private persistLastValues(): void {
    for (const id of this.changedPoints) {
      const point = this.registry.getById(id);
      const sample = point && this.lastValues.raw(point.key);
      if (sample) this.writer.addPointState({ pointId: id, ts: sample.ts, value: sample.value, quality: encodeQuality(sample.quality, sample.reason) });
    }
    this.changedPoints.clear();
  }

  private loadLastValues(): void {
    const rows = this.db.prepare<[], { point_id: number; ts: number; value: Sample['value']; quality: number }>('SELECT * FROM point_state').all();
    for (const row of rows) {
      const point = this.registry.getById(row.point_id);
      if (point) this.lastValues.set({ point: point.key, ts: row.ts, value: row.value, ...decodeQuality(row.quality) });
    }
  }

  private async retention(): Promise<void> {
    try {
      const deleted = (await this.commitWorker?.retention(this.config.storage.retention, Date.now())) ?? 0;
      if (deleted > 0) this.logger.info({ deleted }, 'retention removed old rows');
    } catch (error) {
      this.logger.error({ err: error }, 'retention failed; will retry at the next run');
    }
  }

  /** Stops polling, commits what is queued, and closes the commit worker and the database. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    // Before the pollers stop their drivers, so remote leases can still be released.
    await this.control.stop();
    await Promise.allSettled([...this.pollers.values()].map((poller) => poller.stop()));
    this.hub.closeAll();
    // Closes each device's online period in its event history, so a restart shows as a gap.
    for (const poller of this.pollers.values()) {
      if (poller.status === 'online') this.writer.addDeviceEvent({ ts: Date.now(), device: poller.device.key, status: 'unknown', error: 'edge node stopped' });
    }
    this.persistLastValues();
    await this.commitInFlight;
    await this.commit();
    await this.commitWorker?.close();
    this.db.close();
  }
}
