import { qualities } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { describeReason, qualityBadgeClass, qualityLabel, qualityValueClass } from '../../../../src/components/site/quality';

describe('quality classes', () => {
  it.each([
    ['good', 'badge-good', 'value-good'],
    ['uncertain', 'badge-warn', 'value-uncertain'],
    ['stale', 'badge-stale', 'value-stale'],
    ['bad', 'badge-bad', 'value-bad'],
  ] as const)('%s uses %s and %s', (quality, badge, value) => {
    expect(qualityBadgeClass(quality)).toBe(badge);
    expect(qualityValueClass(quality)).toBe(value);
  });

  it('covers every quality of the shared model', () => {
    for (const quality of qualities) expect(qualityBadgeClass(quality)).toMatch(/^badge-/);
  });

  it('greys out a point without reading', () => {
    expect(qualityBadgeClass(null)).toBe('badge-stale');
    expect(qualityValueClass(null)).toBe('value-stale');
  });
});

describe('qualityLabel', () => {
  it('names the quality alone when there is no reason', () => {
    expect(qualityLabel('good')).toBe('good');
  });

  it('adds the reason in words', () => {
    expect(qualityLabel('bad', 'device_offline')).toBe('bad: device offline');
  });

  it('says there is no data for a missing reading', () => {
    expect(qualityLabel(null)).toBe('no data');
  });

  it('replaces every underscore of a reason', () => {
    expect(describeReason('not_implemented')).toBe('not implemented');
  });
});
