import {
  BACNET_LOCAL_PRIORITY,
  BACNET_REMOTE_PRIORITY,
  type ControlLease,
  type ControlResult,
  type ControlSource,
  type ControlValue,
  type Device,
  type SampleValue,
  pointId as makePointId,
} from '@simtestlab/sync';
import { actorMay, sitePolicy, type SiteActor } from '../access/site-actor';
import type { Logger } from '../logger';
import type { SqliteDatabase } from '../store/database';
import { recordControl, type ControlAuditAction, type ControlRecord } from './control-audit';
import type { ControlTarget, ControlTargets } from './control-targets';
import { ConfirmationTokens } from './confirmation-tokens';
import { rampAndVerify, readCurrent, relinquishPoint, writeAndVerify, type ControlTiming, type DeviceOutcome, type DevicePoint } from './device-commands';
import { KeyedQueue } from './keyed-queue';
import { LeaseStore, leaseInForce } from './lease-store';
import { checkValue, controlOf, controlProblem, type ControlFailure } from './value-checks';

/** A write or a release of one point. */
export type ControlCommand = { kind: 'write'; value: ControlValue; leaseS?: number; confirmationToken?: string } | { kind: 'release' };

export interface ControlRequest {
  /** Point id, `device.point`. */
  point: string;
  command: ControlCommand;
  actor: SiteActor;
  source: ControlSource;
}

export interface ControlServiceOptions {
  db: SqliteDatabase;
  logger: Logger;
  targets: ControlTargets;
  /** `site.operatorControl` of the site file; the synced site row wins once the edge has one. */
  fileOperatorControl: boolean;
  /** Latest value the poller stored, for audit entries of commands that did not read the device. */
  lastValue?: (pointId: string) => SampleValue | undefined;
  /** Clock and sleep; tests pass their own to skip waiting. */
  timing?: Partial<ControlTiming>;
  /** First delay before a failed release is tried again, doubling up to `maxReleaseRetryMs`. */
  releaseRetryMs?: number;
  maxReleaseRetryMs?: number;
}

/** Audit action and reason of a release the edge applies itself. */
type LeaseEnd = { action: 'control.lease_expired' | 'control.link_lost_release'; reason: string };

/** Retries of a release that failed, per point. */
interface PendingRelease {
  attempt: number;
  timer: NodeJS.Timeout;
}

const DEFAULT_RELEASE_RETRY_MS = 1000;
const DEFAULT_MAX_RELEASE_RETRY_MS = 60_000;
/** Largest delay `setTimeout` accepts; a later expiry is checked again when this timer fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** BACnet priority a source writes at: an on-site write outranks a remote one. */
export function priorityOf(source: ControlSource): number {
  return source === 'local' ? BACNET_LOCAL_PRIORITY : BACNET_REMOTE_PRIORITY;
}

function roleName(actor: SiteActor): string {
  return actor.role === null ? 'a user without a role at this site' : `the role ${actor.role}`;
}

function describeHolder(lease: ControlLease): string {
  const until = lease.expiresAt === null ? 'until it is released on site' : `until ${new Date(lease.expiresAt).toISOString()}`;
  return `${lease.userName} holds point ${lease.point} with an on-site write ${until}`;
}

/**
 * Safe device control. Every command is checked here, whether it came from the edge's own API or from
 * the hub over the uplink. The checks are the user's right under the site policy, the point, its type
 * and limits, the step from the current value, the rate limit and the confirmation of dangerous
 * points. A write is read back until confirmed and holds the point under a lease. When a lease ends, or the link to the
 * hub closes while remote leases hold, the point's release is applied: its safe value, or a BACnet
 * relinquish at the priority of the lease's source. A release that fails is retried with backoff, and its
 * lease row stays until it succeeds. This is the one stateful core of device control.
 */
/** Shows a value read from a device without float32 noise: 29.440000534057617 as 29.44. */
function readable(value: number): string {
  return String(Number(value.toPrecision(7)));
}

export class ControlService {
  private readonly db: SqliteDatabase;
  private readonly logger: Logger;
  private readonly leases: LeaseStore;
  private readonly timing: ControlTiming;
  private readonly tokens: ConfirmationTokens;
  private readonly queue = new KeyedQueue();
  private readonly lastWriteAt = new Map<string, number>();
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();
  private readonly pendingReleases = new Map<string, PendingRelease>();
  /** Ramps in progress by point, so a release or the loss of the hub link stops them between steps. */
  private readonly ramps = new Map<string, { source: ControlSource; stop: AbortController }>();
  /** BACnet slots left by a lease another source replaced, which still need NULL: point to priority. */
  private readonly staleSlots = new Map<string, number>();
  private stopped = false;

  constructor(private readonly options: ControlServiceOptions) {
    this.db = options.db;
    this.logger = options.logger;
    this.leases = new LeaseStore(options.db);
    this.timing = {
      now: options.timing?.now ?? Date.now,
      sleep: options.timing?.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    };
    this.tokens = new ConfirmationTokens(this.timing.now);
  }

  /**
   * Logs configured writable points whose control cannot work, ends the remote leases left from before
   * a restart and the local ones that expired meanwhile, and schedules the expiry of the others.
   * Releases that cannot be applied yet (the device has not connected) are retried.
   */
  start(devices: readonly Device[] = []): void {
    this.stopped = false;
    for (const device of devices) {
      for (const point of device.points) {
        const pointId = makePointId(device.key, point.key);
        const problem = point.writable ? controlProblem(pointId, device, point) : undefined;
        if (problem !== undefined) this.logger.warn({ point: pointId }, `commands to point ${pointId} will be rejected: ${problem}`);
      }
    }
    const now = this.timing.now();
    for (const lease of this.leases.all()) {
      if (lease.source === 'remote') this.inBackground(this.endLease(lease, { action: 'control.link_lost_release', reason: 'the edge node restarted' }), lease.point);
      else if (!leaseInForce(lease, now)) this.inBackground(this.endLease(lease, { action: 'control.lease_expired', reason: 'the lease expired while the edge node was stopped' }), lease.point);
      else this.scheduleExpiry(lease);
    }
  }

  /** Runs one command and returns its result: a refused or failed command is a result, not an exception. */
  async execute(request: ControlRequest): Promise<ControlResult> {
    const { actor, point: pointId } = request;
    const policy = sitePolicy(this.db, this.options.fileOperatorControl);
    if (!actorMay(actor, 'device.control', policy)) {
      const who = policy.operatorControl ? 'operators and above' : 'site managers and above (operators only where the site allows operator control)';
      return this.refuse(request, undefined, { code: 'not_permitted', message: `${roleName(actor)} may not control devices at this site: ${who} may` });
    }
    const target = this.options.targets(pointId);
    if (!target) return this.refuse(request, undefined, { code: 'unknown_point', message: `no point ${pointId} at this site; GET /api/points lists them` });
    const problem = controlProblem(pointId, target.device, target.point);
    if (problem !== undefined) return this.refuse(request, undefined, { code: 'not_writable', message: problem });

    // A command waits for the one before it in the point's queue, and a ramp takes (change / rampPerSecond)
    // seconds. So a release stops a ramp of the same or a lower-ranked source, and an on-site write stops a remote ramp.
    const ramp = this.ramps.get(pointId);
    const outranks = request.source === 'local' || ramp?.source === 'remote';
    if (ramp && outranks && (request.command.kind === 'release' || ramp.source !== request.source)) {
      const what = request.command.kind === 'release' ? 'a release' : 'an on-site write';
      ramp.stop.abort(`${what} of the point was requested by ${request.actor.name}`);
    }
    return await this.queue.run(pointId, () => (request.command.kind === 'write' ? this.write(request, target, request.command) : this.release(request, target)));
  }

  /** Leases in force, for `GET /api/control/leases`. */
  activeLeases(): ControlLease[] {
    const now = this.timing.now();
    return this.leases.all().filter((lease) => leaseInForce(lease, now) && !this.pendingReleases.has(lease.point));
  }

  /**
   * Leases that ended but whose release is not applied yet, because the device refused it or could not
   * be reached; the edge retries it. The point still holds the value of the lease meanwhile.
   */
  releasesPending(): ControlLease[] {
    const now = this.timing.now();
    return this.leases.all().filter((lease) => !leaseInForce(lease, now) || this.pendingReleases.has(lease.point));
  }

  /**
   * Applies the release of every remote lease, because the link to the hub closed (`reason`). Returns
   * once each release was applied or failed; failed ones are retried.
   */
  async endRemoteLeases(reason: string): Promise<void> {
    const end: LeaseEnd = { action: 'control.link_lost_release', reason };
    const ramping = [...this.ramps].filter(([, ramp]) => ramp.source === 'remote').map(([point, ramp]) => {
      ramp.stop.abort(reason);
      return point;
    });
    const remote = this.leases.all().filter((lease) => lease.source === 'remote');
    await Promise.all(remote.map((lease) => this.endLease(lease, end)));
    // A stopped ramp that moved the point takes a remote lease when its write returns; end that one too.
    await Promise.all(
      ramping.map(async (point) => {
        await this.queue.run(point, () => Promise.resolve());
        const lease = this.leases.get(point);
        if (lease?.source === 'remote') await this.endLease(lease, end);
      }),
    );
  }

  /** Applies the release of every lease that has expired; the expiry timers call it. */
  async releaseExpired(): Promise<void> {
    const now = this.timing.now();
    const expired = this.leases.all().filter((lease) => !leaseInForce(lease, now) && !this.pendingReleases.has(lease.point));
    await Promise.all(expired.map((lease) => this.endLease(lease, { action: 'control.lease_expired', reason: 'the lease expired' })));
    for (const lease of this.leases.all()) if (leaseInForce(lease, now) && !this.expiryTimers.has(lease.point)) this.scheduleExpiry(lease);
  }

  /** Ends the remote leases (the link to the hub goes with the edge) and stops the timers. */
  async stop(): Promise<void> {
    await this.endRemoteLeases('the edge node is stopping');
    this.stopped = true;
    for (const timer of this.expiryTimers.values()) clearTimeout(timer);
    for (const pending of this.pendingReleases.values()) clearTimeout(pending.timer);
    this.expiryTimers.clear();
    this.pendingReleases.clear();
  }

  private async write(request: ControlRequest, target: ControlTarget, command: Extract<ControlCommand, { kind: 'write' }>): Promise<ControlResult> {
    const { point: pointId, source, actor } = request;
    const control = controlOf(target.point);
    const now = this.timing.now();
    const lease = this.leases.get(pointId);
    if (source === 'remote' && lease?.source === 'local' && leaseInForce(lease, now)) {
      return this.refuse(request, undefined, { code: 'held_locally', message: `${describeHolder(lease)}; a remote write may not change it` });
    }

    const checked = checkValue(pointId, target.point, command.value);
    if (!checked.ok) return this.refuse(request, undefined, checked.failure);
    const value = checked.value;

    const lastWrite = this.lastWriteAt.get(pointId);
    if (lastWrite !== undefined && now < lastWrite + control.minIntervalMs) {
      const retryAt = lastWrite + control.minIntervalMs;
      const message = `point ${pointId} was written less than ${control.minIntervalMs} ms ago; write again after ${new Date(retryAt).toISOString()}`;
      return this.refuse(request, undefined, { code: 'rate_limited', message, retryAt });
    }

    const device = this.devicePoint(target);
    if (!device.ok) return this.refuse(request, undefined, device.failure);
    const current = await readCurrent(device.point);
    const previous = current.ok ? current.value : this.options.lastValue?.(pointId);
    const numericMove = typeof value === 'number' && (control.maxStep !== undefined || control.rampPerSecond !== undefined);
    if (numericMove && (!current.ok || typeof current.value !== 'number')) {
      const why = current.ok ? `its current value is ${JSON.stringify(current.value)}` : current.message;
      return this.refuse(request, previous, { code: 'device_error', message: `cannot check the step of point ${pointId} from its current value: ${why}` });
    }
    if (typeof value === 'number' && typeof previous === 'number' && control.maxStep !== undefined && Math.abs(value - previous) > control.maxStep) {
      const message = `changing point ${pointId} from ${readable(previous)} to ${value} is a step of ${readable(Math.abs(value - Number(readable(previous))))}, more than its maxStep ${control.maxStep}; write in smaller steps`;
      return this.refuse(request, previous, { code: 'step_too_large', message, limit: { name: 'maxStep', value: control.maxStep } });
    }

    if (control.dangerous) {
      const token = command.confirmationToken;
      const confirmed = token !== undefined && this.tokens.consume(token, actor.id, pointId, value, command.leaseS);
      if (!confirmed) {
        const issued = this.tokens.issue(actor.id, pointId, value, command.leaseS);
        const first = token === undefined ? `point ${pointId} is marked dangerous` : 'the confirmation token is unknown, expired, used already, or for another user, point, value or lease';
        const message = `${first}: send the same write again with this confirmationToken before ${new Date(issued.expiresAt).toISOString()} to confirm writing ${JSON.stringify(value)}`;
        return this.refuse(request, previous, { code: 'confirmation_required', message, confirmationToken: issued.token, confirmationExpiresAt: issued.expiresAt });
      }
    }

    const priority = priorityOf(source);
    const verifyTimeoutMs = control.verifyTimeoutMs;
    const outcome =
      typeof value === 'number' && typeof previous === 'number' && control.rampPerSecond !== undefined
        ? await this.ramp(device.point, source, previous, value, { rampPerSecond: control.rampPerSecond, priority, verifyTimeoutMs, timing: this.timing })
        : await writeAndVerify(device.point, value, { priority, verifyTimeoutMs, timing: this.timing });

    const commanded = outcome.ok || outcome.commanded;
    // A write the device rejected changed nothing, so it does not count against minIntervalMs. The
    // per-point queue runs one command at a time, so no other write slips in between.
    if (commanded) this.lastWriteAt.set(pointId, now);
    const leaseS = command.leaseS ?? (source === 'remote' ? control.leaseS : undefined);
    const startedAt = this.timing.now();
    const newLease: ControlLease | undefined = commanded
      ? { point: pointId, source, value, userId: actor.id, userName: actor.name, startedAt, expiresAt: leaseS === undefined ? null : startedAt + leaseS * 1000 }
      : undefined;
    const record = this.commandRecord(request, previous, value, outcome);
    const auditId = recordControl(this.db, newLease ? { ...record, lease: newLease } : record, () => {
      if (newLease) this.leases.put(newLease);
    });
    if (newLease) this.leaseTaken(target, newLease, lease);

    if (!outcome.ok) {
      const held = newLease ? `; the point is under a lease anyway, so its release applies ${newLease.expiresAt === null ? 'when it is released' : 'when the lease ends'}` : '';
      return { ok: false, point: pointId, code: outcome.code, message: `${outcome.message}${held}` };
    }
    return { ok: true, point: pointId, command: 'write', previousValue: previous ?? null, value, readBack: outcome.readBack, lease: newLease ?? null, auditId };
  }

  private async release(request: ControlRequest, target: ControlTarget): Promise<ControlResult> {
    const { point: pointId, source } = request;
    const lease = this.leases.get(pointId);
    if (source === 'remote' && lease?.source === 'local' && leaseInForce(lease, this.timing.now())) {
      return this.refuse(request, undefined, { code: 'held_locally', message: `${describeHolder(lease)}; a remote release may not end it` });
    }
    const device = this.devicePoint(target);
    if (!device.ok) return this.refuse(request, undefined, device.failure);

    const applied = await this.applyRelease(target, device.point, priorityOf(lease?.source ?? source));
    const record = this.commandRecord(request, applied.previous, applied.value, applied.outcome);
    const auditId = recordControl(this.db, applied.outcome.ok ? { ...record, lease: null } : record, () => {
      if (applied.outcome.ok && lease) this.leases.delete(pointId, lease.startedAt);
    });
    if (!applied.outcome.ok) return { ok: false, point: pointId, code: applied.outcome.code, message: applied.outcome.message };
    this.leaseEnded(pointId);
    return { ok: true, point: pointId, command: 'release', previousValue: applied.previous ?? null, value: applied.value, readBack: applied.outcome.readBack, lease: null, auditId };
  }

  /** Runs a ramp that a release or the loss of the hub link can stop. */
  private async ramp(device: DevicePoint, source: ControlSource, from: number, value: number, options: Omit<Parameters<typeof rampAndVerify>[3], 'signal'>): Promise<DeviceOutcome> {
    const stop = new AbortController();
    this.ramps.set(device.pointId, { source, stop });
    try {
      return await rampAndVerify(device, from, value, { ...options, signal: stop.signal });
    } finally {
      this.ramps.delete(device.pointId);
    }
  }

  /** Writes the safe value, or relinquishes at `priority`, and returns what was there before. */
  private async applyRelease(target: ControlTarget, device: DevicePoint, priority: number) {
    const control = controlOf(target.point);
    const current = await readCurrent(device);
    const previous = current.ok ? current.value : this.options.lastValue?.(target.pointId);
    if (control.onRelease === 'relinquish') {
      return { previous, value: null, outcome: await relinquishPoint(device, priority) };
    }
    // controlProblem() accepted the point, so its safe value is set and valid.
    const checked = checkValue(target.pointId, target.point, control.safeValue!);
    const value = checked.ok ? checked.value : control.safeValue!;
    return { previous, value, outcome: await writeAndVerify(device, value, { priority, verifyTimeoutMs: control.verifyTimeoutMs, timing: this.timing }) };
  }

  /**
   * Ends a lease the edge releases itself. Skips a lease that a newer command replaced. A failure is
   * logged as an error, audited once, and retried with backoff; the lease row stays until it succeeds.
   */
  private endLease(lease: ControlLease, end: LeaseEnd, attempt = 1): Promise<void> {
    return this.queue.run(lease.point, async () => {
      const stored = this.leases.get(lease.point);
      if (!stored || stored.startedAt !== lease.startedAt) return;
      this.clearExpiry(lease.point);
      const logger = this.logger.child({ point: lease.point, user: lease.userId, source: lease.source });
      const target = this.options.targets(lease.point);
      const problem = target && controlProblem(lease.point, target.device, target.point);
      if (!target || problem !== undefined) {
        const message = `cannot apply the release of point ${lease.point}: ${problem ?? 'the point is no longer in the site file'}; the lease is dropped`;
        logger.error({ reason: end.reason }, message);
        recordControl(this.db, this.leaseRecord(lease, end, undefined, null, { result: problem ? 'not_writable' : 'unknown_point', message }), () =>
          this.leases.delete(lease.point, lease.startedAt),
        );
        return;
      }
      const device = this.devicePoint(target);
      if (!device.ok) {
        if (attempt === 1) logger.warn({ reason: end.reason }, `release of point ${lease.point} waits for the device: ${device.failure.message}`);
        this.retryRelease(lease, end, attempt);
        return;
      }

      const applied = await this.applyRelease(target, device.point, priorityOf(lease.source));
      if (applied.outcome.ok) {
        const message = `released point ${lease.point} because ${end.reason}${attempt > 1 ? ` (attempt ${attempt})` : ''}`;
        recordControl(this.db, this.leaseRecord(lease, end, applied.previous, applied.value, { result: 'ok', message, readBack: applied.outcome.readBack }), () =>
          this.leases.delete(lease.point, lease.startedAt),
        );
        logger.info({ reason: end.reason, value: applied.value, attempt }, message);
        this.leaseEnded(lease.point);
        return;
      }
      const message = `applying the release of point ${lease.point} failed: ${applied.outcome.message}`;
      logger.error({ reason: end.reason, attempt }, `${message}; retrying with backoff`);
      if (attempt === 1) recordControl(this.db, this.leaseRecord(lease, end, applied.previous, applied.value, { result: applied.outcome.code, message }));
      this.retryRelease(lease, end, attempt);
    });
  }

  private retryRelease(lease: ControlLease, end: LeaseEnd, attempt: number): void {
    if (this.stopped) return;
    const base = this.options.releaseRetryMs ?? DEFAULT_RELEASE_RETRY_MS;
    const delayMs = Math.min(base * 2 ** (attempt - 1), this.options.maxReleaseRetryMs ?? DEFAULT_MAX_RELEASE_RETRY_MS);
    clearTimeout(this.pendingReleases.get(lease.point)?.timer);
    const timer = setTimeout(() => {
      this.pendingReleases.delete(lease.point);
      this.inBackground(this.endLease(lease, end, attempt + 1), lease.point);
    }, delayMs);
    timer.unref();
    this.pendingReleases.set(lease.point, { attempt, timer });
  }

  /** After a write took a lease: schedules its expiry, and clears the BACnet slot of a replaced lease of the other source. */
  private leaseTaken(target: ControlTarget, lease: ControlLease, replaced: ControlLease | undefined): void {
    const pending = this.pendingReleases.get(lease.point);
    if (pending) clearTimeout(pending.timer);
    this.pendingReleases.delete(lease.point);
    this.scheduleExpiry(lease);
    const stalePriority = this.staleSlots.get(lease.point) ?? (replaced && replaced.source !== lease.source ? priorityOf(replaced.source) : undefined);
    this.staleSlots.delete(lease.point);
    if (stalePriority !== undefined && stalePriority !== priorityOf(lease.source) && target.device.driver === 'bacnet') {
      this.inBackground(this.clearSlot(target, stalePriority), lease.point);
    }
  }

  /**
   * Writes NULL at the priority of a lease an on-site write replaced, so the remote value does not come
   * back when the on-site write is released. A failure is kept and tried again at the next write.
   */
  private clearSlot(target: ControlTarget, priority: number): Promise<void> {
    return this.queue.run(target.pointId, async () => {
      const device = this.devicePoint(target);
      const outcome: DeviceOutcome = device.ok ? await relinquishPoint(device.point, priority) : { ok: false, code: 'device_error', message: device.failure.message, commanded: false };
      if (outcome.ok) return;
      // NOTE: the slot still to clear is kept in memory only, so it is lost when the edge node restarts before the next write.
      this.staleSlots.set(target.pointId, priority);
      this.logger.error({ point: target.pointId, priority }, `clearing priority ${priority} of point ${target.pointId} failed: ${outcome.message}; trying again at its next write`);
    });
  }

  private leaseEnded(point: string): void {
    this.clearExpiry(point);
    const pending = this.pendingReleases.get(point);
    if (pending) clearTimeout(pending.timer);
    this.pendingReleases.delete(point);
  }

  private scheduleExpiry(lease: ControlLease): void {
    this.clearExpiry(lease.point);
    if (lease.expiresAt === null || this.stopped) return;
    const delayMs = Math.min(Math.max(0, lease.expiresAt - this.timing.now()), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      this.expiryTimers.delete(lease.point);
      this.inBackground(this.releaseExpired(), lease.point);
    }, delayMs);
    timer.unref();
    this.expiryTimers.set(lease.point, timer);
  }

  /** Runs a task that no caller awaits (timers, start-up) and logs what it throws, so no rejection goes unhandled. */
  private inBackground(task: Promise<void>, point: string): void {
    task.catch((error: unknown) => this.logger.error({ err: error, point }, `control task of point ${point} failed`));
  }

  private clearExpiry(point: string): void {
    clearTimeout(this.expiryTimers.get(point));
    this.expiryTimers.delete(point);
  }

  private devicePoint(target: ControlTarget): { ok: true; point: DevicePoint } | { ok: false; failure: ControlFailure } {
    const driver = target.driver();
    if (!driver) {
      return { ok: false, failure: { code: 'device_error', message: `device ${target.device.key} has not connected yet; GET /api/devices shows its last error` } };
    }
    return { ok: true, point: { pointId: target.pointId, point: target.point, driver } };
  }

  private refuse(request: ControlRequest, oldValue: SampleValue | undefined, failure: ControlFailure): ControlResult {
    const newValue = request.command.kind === 'write' ? request.command.value : null;
    recordControl(this.db, {
      ...this.requestRecord(request),
      oldValue: oldValue ?? this.options.lastValue?.(request.point),
      newValue,
      result: failure.code,
      message: failure.message,
    });
    this.logger.info({ point: request.point, user: request.actor.id, source: request.source, code: failure.code }, `control command rejected: ${failure.message}`);
    return { ok: false, point: request.point, ...failure };
  }

  private commandRecord(request: ControlRequest, oldValue: SampleValue | undefined, newValue: ControlValue | null, outcome: DeviceOutcome): ControlRecord {
    const verb = request.command.kind === 'write' ? `wrote ${JSON.stringify(newValue)} to` : 'released';
    const message = outcome.ok ? `${verb} point ${request.point}, read back ${JSON.stringify(outcome.readBack)}` : outcome.message;
    const record: ControlRecord = {
      ...this.requestRecord(request),
      oldValue,
      newValue,
      result: outcome.ok ? 'ok' : outcome.code,
      message,
    };
    if (outcome.ok) record.readBack = outcome.readBack;
    this.logger.info({ point: request.point, user: request.actor.id, source: request.source, result: record.result }, message);
    return record;
  }

  private requestRecord(request: ControlRequest): Pick<ControlRecord, 'action' | 'at' | 'actor' | 'userId' | 'userName' | 'source' | 'point'> {
    const action: ControlAuditAction = request.command.kind === 'write' ? 'control.write' : 'control.release';
    const { actor } = request;
    return { action, at: this.timing.now(), actor, userId: actor.id, userName: actor.name, source: request.source, point: request.point };
  }

  private leaseRecord(
    lease: ControlLease,
    end: LeaseEnd,
    oldValue: SampleValue | undefined,
    newValue: ControlValue | null,
    outcome: Pick<ControlRecord, 'result' | 'message' | 'readBack'>,
  ): ControlRecord {
    return {
      action: end.action,
      at: this.timing.now(),
      actor: null,
      userId: lease.userId,
      userName: lease.userName,
      source: lease.source,
      point: lease.point,
      oldValue,
      newValue,
      reason: end.reason,
      ...outcome,
      ...(outcome.result === 'ok' ? { lease: null } : {}),
    };
  }
}
