import type { SunspecModel } from '../../templates/sunspec/models';
import type { ScaleFactors, SunspecValues } from './sunspec-image';
import { isAccumulator, sunspecEncoding } from './sunspec-types';

/** Bounds for scale-factor selection. */
export interface ScaleFactorOptions {
  /**
   * Finest scale factor to use. Default -3, because the data sets carry at most three meaningful
   * decimals: UCI rounds to 0.001, and further digits of the pecos averages are float noise.
   */
  minSf?: number;
  /** Scale factor of groups with an accumulator. Default 0, so energy counters count whole Wh. */
  counterSf?: number;
}

const MAX_SF = 10;

/**
 * Chooses each `sunssf` of a model from sampled engineering values: the smallest power of ten, not
 * below `minSf`, at which the largest magnitude of every point sharing it fits the point's type.
 * A device keeps its scale factors fixed, so pass samples that cover the whole data set.
 * A group without any sampled value gets 0.
 */
export function chooseScaleFactors(
  model: SunspecModel,
  samples: Iterable<SunspecValues>,
  options: ScaleFactorOptions = {},
): ScaleFactors {
  const minSf = options.minSf ?? -3;
  const counterSf = options.counterSf ?? 0;
  const groups = new Map<string, { capacity: number; maxAbs: number; hasCounter: boolean; pointNames: string[] }>();
  for (const point of model.points) {
    if (typeof point.sf !== 'string') continue;
    const encoding = sunspecEncoding(point.type);
    if (encoding === undefined) continue;
    const group = groups.get(point.sf) ?? { capacity: Infinity, maxAbs: 0, hasCounter: false, pointNames: [] };
    group.capacity = Math.min(group.capacity, encoding.max);
    group.hasCounter ||= isAccumulator(point.type);
    group.pointNames.push(point.name);
    groups.set(point.sf, group);
  }

  for (const sample of samples) {
    for (const group of groups.values()) {
      for (const name of group.pointNames) {
        const value = sample[name];
        if (typeof value === 'number' && Number.isFinite(value)) group.maxAbs = Math.max(group.maxAbs, Math.abs(value));
      }
    }
  }

  const scaleFactors: ScaleFactors = {};
  for (const [name, group] of groups) {
    if (group.hasCounter) {
      scaleFactors[name] = counterSf;
      continue;
    }
    let sf = minSf;
    while (sf < MAX_SF && Math.round(group.maxAbs * 10 ** -sf) > group.capacity) sf++;
    scaleFactors[name] = group.maxAbs === 0 ? 0 : sf;
  }
  return scaleFactors;
}
