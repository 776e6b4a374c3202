import type { Quality, QualityReason } from '@simtestlab/sync';

/** Badge colour class per quality. Uncertain values warn, and stale ones are greyed out. */
const BADGE_CLASSES: Record<Quality, string> = {
  good: 'badge-good',
  uncertain: 'badge-warn',
  stale: 'badge-stale',
  bad: 'badge-bad',
};

/** Returns the app stylesheet's badge class for a quality, and `badge-stale` when there is no reading at all. */
export function qualityBadgeClass(quality: Quality | null): string {
  return quality === null ? 'badge-stale' : BADGE_CLASSES[quality];
}

/** Returns the app stylesheet's value class for a quality, so stale and bad values look different from good ones. */
export function qualityValueClass(quality: Quality | null): string {
  return quality === null ? 'value-stale' : `value-${quality}`;
}

/** Writes a quality reason in words: `device_offline` becomes "device offline". */
export function describeReason(reason: QualityReason | string): string {
  return reason.replaceAll('_', ' ');
}

/** Returns the text of a quality badge: the quality, with its reason when there is one. */
export function qualityLabel(quality: Quality | null, reason?: string): string {
  if (quality === null) return 'no data';
  return reason ? `${quality}: ${describeReason(reason)}` : quality;
}
