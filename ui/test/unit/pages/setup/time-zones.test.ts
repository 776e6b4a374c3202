import { describe, expect, it } from 'vitest';
import { browserTimeZone, filterTimeZones, listTimeZones } from '../../../../src/pages/setup/time-zones';

const zones = ['America/New_York', 'America/Los_Angeles', 'Europe/Berlin', 'Europe/Paris', 'UTC'];

describe('filterTimeZones', () => {
  it('returns every zone for an empty query', () => {
    expect(filterTimeZones(zones, '  ')).toEqual(zones);
  });

  it('finds a city written with a space', () => {
    expect(filterTimeZones(zones, 'new york')).toEqual(['America/New_York']);
  });

  it('matches every word in any case', () => {
    expect(filterTimeZones(zones, 'EUROPE par')).toEqual(['Europe/Paris']);
  });

  it('returns nothing for an unknown city', () => {
    expect(filterTimeZones(zones, 'atlantis')).toEqual([]);
  });
});

describe('listTimeZones', () => {
  it('contains UTC and the browser zone', () => {
    const listed = listTimeZones();
    expect(listed).toContain('UTC');
    expect(listed).toContain('Europe/Berlin');
    expect(listed).toContain(browserTimeZone());
  });
});
