import type { AlarmCondition, AlarmRule, DeviceStatus, Sample } from '@simtestlab/sync';

/** A point value as an alarm stores it. */
export type AlarmValue = Sample['value'];

/**
 * Compares a state rule's value with a sample value. Samples carry binary points as 0 or 1, while
 * rules name them as booleans, so `true` matches 1 and `false` matches 0.
 */
function matchesState(candidate: boolean | number | string, value: AlarmValue): boolean {
  if (typeof candidate === 'boolean') return value === (candidate ? 1 : 0);
  return candidate === value;
}

/** The debounced condition of a rule changed: raise when `active`, clear when not. */
export interface ConditionChange {
  active: boolean;
  /** Clock time of the change, epoch ms. */
  at: number;
  /** The point's latest good value, or null for a rule without a point or before the first value. */
  value: AlarmValue;
}

/**
 * The condition of one rule, evaluated from samples, device statuses and clock ticks. `raw` is the
 * condition as the inputs show it; the debounced `active` follows it once it has held for the rule's
 * on-delay or off-delay. Times are the edge's clock in epoch ms, not sample timestamps, so a device
 * clock that is off moves no delay. Inputs the condition cannot judge (a bad or stale sample, a value
 * of the wrong type, an `unknown` device status) leave `raw` as it was, so they neither trip nor clear
 * a limit.
 */
export class ConditionEvaluator {
  private raw: boolean | undefined;
  private pendingSince: number | undefined;
  private lastValue: AlarmValue = null;
  /** Last time a good sample arrived, for `stale`. */
  private lastGoodAt: number;
  /** Good numeric samples inside the window, oldest first, for `rate_of_change`. */
  private readonly window: { at: number; value: number }[] = [];

  /**
   * `active` is the condition as stored before a restart, so an alarm that was active is not raised
   * again. `startedAt` is when evaluation began: a stale rule counts from it until the first sample.
   */
  constructor(
    readonly rule: AlarmRule,
    private active: boolean,
    startedAt: number,
  ) {
    this.lastGoodAt = startedAt;
  }

  get condition(): AlarmCondition {
    return this.rule.condition;
  }

  /** Whether the debounced condition holds. */
  get isActive(): boolean {
    return this.active;
  }

  /** The latest good value of the rule's point, or null. */
  get value(): AlarmValue {
    return this.lastValue;
  }

  /** Feeds a sample of the rule's point, received at `now`, and returns the change it settles, if any. */
  observeSample(sample: Sample, now: number): ConditionChange | undefined {
    if (sample.quality === 'good') {
      this.lastValue = sample.value;
      this.lastGoodAt = now;
      const raw = this.judgeGoodValue(sample.value, now);
      if (raw !== undefined) this.raw = raw;
    }
    return this.settle(now);
  }

  /** Feeds a status of the rule's device and returns the change it settles, if any. */
  observeDeviceStatus(status: DeviceStatus, now: number): ConditionChange | undefined {
    if (this.condition.type === 'device_offline' && status !== 'unknown') this.raw = status === 'offline';
    return this.settle(now);
  }

  /** Advances the clock: stale rules and running delays are judged at `now`. */
  tick(now: number): ConditionChange | undefined {
    const condition = this.condition;
    if (condition.type === 'stale') this.raw = now - this.lastGoodAt >= condition.afterS * 1000;
    if (condition.type === 'rate_of_change') {
      this.dropOutsideWindow(now, condition.windowS);
      // With fewer than two samples left in the window, no change is measured, so the rate is zero.
      if (this.window.length < 2 && this.raw === true) this.raw = false;
    }
    return this.settle(now);
  }

  /** Judges the raw condition after a good value; undefined when the value cannot tell, such as text for a limit. */
  private judgeGoodValue(value: AlarmValue, now: number): boolean | undefined {
    const condition = this.condition;
    // Before the first judged value (after a restart or a rule edit) the stored condition decides the
    // side of the deadband, so an active alarm does not clear on a value inside it.
    const wasActive = (this.raw ?? this.active) === true;
    switch (condition.type) {
      case 'high':
      case 'high_high':
        if (typeof value !== 'number') return undefined;
        return wasActive ? value > condition.limit - condition.deadband : value > condition.limit;
      case 'low':
      case 'low_low':
        if (typeof value !== 'number') return undefined;
        return wasActive ? value < condition.limit + condition.deadband : value < condition.limit;
      case 'rate_of_change':
        if (typeof value !== 'number') return undefined;
        return this.exceedsRate(value, now, condition.windowS, condition.maxChangePerMinute);
      case 'state':
        return condition.values.some((candidate) => matchesState(candidate, value));
      case 'stale':
        return false;
      case 'device_offline':
        return undefined;
    }
  }

  /** Compares the change between the oldest sample inside the window and this one with the allowed rate. */
  private exceedsRate(value: number, now: number, windowS: number, maxChangePerMinute: number): boolean {
    this.window.push({ at: now, value });
    this.dropOutsideWindow(now, windowS);
    const oldest = this.window[0]!;
    const elapsedMin = (now - oldest.at) / 60_000;
    if (elapsedMin <= 0) return false;
    return Math.abs(value - oldest.value) / elapsedMin > maxChangePerMinute;
  }

  private dropOutsideWindow(now: number, windowS: number): void {
    while (this.window.length > 0 && this.window[0]!.at < now - windowS * 1000) this.window.shift();
  }

  /** Moves the debounced condition to the raw one once it has held for the delay. */
  private settle(now: number): ConditionChange | undefined {
    if (this.raw === undefined || this.raw === this.active) {
      this.pendingSince = undefined;
      return undefined;
    }
    this.pendingSince ??= now;
    const delayS = this.raw ? this.condition.onDelayS : this.condition.offDelayS;
    if (now - this.pendingSince < delayS * 1000) return undefined;
    this.active = this.raw;
    this.pendingSince = undefined;
    return { active: this.active, at: now, value: this.lastValue };
  }
}
