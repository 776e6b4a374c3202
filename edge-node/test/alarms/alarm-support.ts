import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alarmRuleSchema, alarmTransitionSchema, type AlarmChange, type AlarmTransition, type EffectiveRole, type Sample } from '@simtestlab/sync';
import type { SiteActor } from '../../src/access/site-actor';
import { AlarmService } from '../../src/alarms/alarm-service';
import { openDatabase, type SqliteDatabase } from '../../src/store/database';
import { UPLOAD_QUEUE_META_KEY } from '../../src/upload/event-queue';
import { createMemoryLogger } from '../drivers/mqtt/mqtt-test-support';

/** Start of the fake clock: 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);

/** Builds a site actor with a role, as the service receives it from a route or the uplink. */
export function actor(role: EffectiveRole | null, id: string = `${role ?? 'nobody'}-1`): SiteActor {
  return { id, name: `${role ?? 'nobody'} user`, role, developer: false, origin: 'edge' };
}

/** Parses rules in the site file's form; `point` defaults to `meter.powerW`. */
export function rules(...definitions: Record<string, unknown>[]) {
  return definitions.map((definition) => alarmRuleSchema.parse({ name: 'Rule', severity: 'warning', point: 'meter.powerW', ...definition }));
}

/**
 * An alarm service on a SQLite file in a temp folder, with a fake clock the test moves, the upload
 * outbox turned on, and every change and log line captured.
 */
export class AlarmHarness {
  now = T0;
  service!: AlarmService;
  readonly changes: AlarmChange[] = [];
  /** Log lines of the current service, as parsed JSON. */
  readonly log: { lines: Record<string, unknown>[] } = { lines: [] };
  readonly db: SqliteDatabase;
  private readonly dir: string;

  constructor(private fileRules: ReturnType<typeof rules>) {
    this.dir = mkdtempSync(join(tmpdir(), 'edge-alarms-'));
    this.db = openDatabase(join(this.dir, 'edge.db'));
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(UPLOAD_QUEUE_META_KEY, String(T0));
    this.startService();
  }

  /** Starts a new service on the same database, as after a restart, optionally with other site file rules. */
  restart(fileRules = this.fileRules): void {
    this.fileRules = fileRules;
    this.startService();
  }

  private startService(): void {
    const { logger, lines } = createMemoryLogger();
    this.log.lines = lines;
    this.service = new AlarmService({
      db: this.db,
      siteId: 'alarm-test',
      fileRules: this.fileRules,
      fileOperatorControl: false,
      logger,
      pointUnit: (point) => (point === 'meter.powerW' ? 'W' : undefined),
      clock: () => this.now,
    });
    this.service.onChange((change) => this.changes.push(change));
    this.service.start();
  }

  /** Moves the clock forward and ticks the service. */
  advance(ms: number): void {
    this.now += ms;
    this.service.tick();
  }

  /** Feeds a good sample of `meter.powerW` (or another point) at the current clock. */
  sample(value: Sample['value'], point = 'meter.powerW'): void {
    this.service.observeSample({ point, ts: this.now, value, quality: 'good' });
  }

  /** Reads the transitions stored for a rule, oldest first. */
  transitions(ruleId = 'high'): AlarmTransition[] {
    return this.service.history({ ruleId, limit: 10_000 }).reverse();
  }

  /** Reads the upload events of kind `alarm`, oldest first, with their payloads parsed by the contract's schema. */
  uploadEvents(): { id: string; at: number; transition: AlarmTransition }[] {
    return this.db
      .prepare<[], { id: string; at: number; payload: string }>("SELECT id, at, payload FROM upload_events WHERE kind = 'alarm' ORDER BY seq")
      .all()
      .map((row) => ({ id: row.id, at: row.at, transition: alarmTransitionSchema.parse(JSON.parse(row.payload)) }));
  }

  close(): void {
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
