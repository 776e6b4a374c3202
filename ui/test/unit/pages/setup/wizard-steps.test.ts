import { describe, expect, it } from 'vitest';
import { canOpen, isDone, nextStep, parseStep, progressOf, resumeStep, stepToShow, type SetupProgress } from '../../../../src/pages/setup/wizard-steps';
import type { SetupStatus } from '../../../../src/pages/setup/setup-types';

const fresh: SetupProgress = { unlocked: false, admin: false, site: false, devices: 0 };

describe('resumeStep', () => {
  const cases: [string, SetupProgress, string][] = [
    ['asks for the code in a new tab', { ...fresh, admin: true, site: true }, 'code'],
    ['opens the admin step after the code', { ...fresh, unlocked: true }, 'admin'],
    ['opens the site step once the admin exists', { ...fresh, unlocked: true, admin: true }, 'site'],
    ['opens the device step once the site exists', { ...fresh, unlocked: true, admin: true, site: true }, 'devices'],
    ['opens the review once devices are saved', { unlocked: true, admin: true, site: true, devices: 2 }, 'review'],
  ];
  it.each(cases)('%s', (_case, progress, step) => {
    expect(resumeStep(progress)).toBe(step);
  });
});

describe('canOpen', () => {
  it('keeps every later step closed before the code', () => {
    expect(canOpen('admin', fresh)).toBe(false);
    expect(canOpen('review', { ...fresh, admin: true, site: true })).toBe(false);
  });

  it('closes the code step once unlocked', () => {
    expect(canOpen('code', { ...fresh, unlocked: true })).toBe(false);
  });

  it('needs the admin before the site', () => {
    expect(canOpen('site', { ...fresh, unlocked: true })).toBe(false);
    expect(canOpen('site', { ...fresh, unlocked: true, admin: true })).toBe(true);
  });

  it('allows the review without devices', () => {
    expect(canOpen('review', { unlocked: true, admin: true, site: true, devices: 0 })).toBe(true);
  });
});

describe('progressOf', () => {
  it('reads the steps of the status', () => {
    const status: SetupStatus = {
      state: 'setup',
      steps: { admin: true, site: { mode: 'standalone', siteId: 'plant', siteName: 'Plant', timeZone: 'UTC' }, devices: 1 },
      setupUrl: '/setup',
    };
    const progress = progressOf(status, true);
    expect(progress).toEqual({ unlocked: true, admin: true, site: true, devices: 1 });
    expect(isDone('devices', progress)).toBe(true);
    expect(isDone('review', progress)).toBe(false);
  });
});

describe('nextStep', () => {
  it('goes forward and stays on the last step', () => {
    expect(nextStep('site')).toBe('devices');
    expect(nextStep('review')).toBe('review');
  });
});

describe('parseStep', () => {
  it('reads a step name from the address', () => {
    expect(parseStep('devices')).toBe('devices');
  });

  it('returns null for a missing or unknown name', () => {
    expect(parseStep(undefined)).toBeNull();
    expect(parseStep('finish')).toBeNull();
  });
});

describe('stepToShow', () => {
  const done: SetupProgress = { unlocked: true, admin: true, site: true, devices: 1 };
  const cases: [string, ReturnType<typeof parseStep>, SetupProgress, string][] = [
    ['shows the step of the address after Back', 'site', done, 'site'],
    ['shows the review after a reload on it', 'review', done, 'review'],
    ['resumes without a step in the address', null, done, 'review'],
    ['asks for the code before any other step', 'devices', { ...done, unlocked: false }, 'code'],
    ['does not open a step whose earlier step is open', 'devices', { ...fresh, unlocked: true }, 'admin'],
    ['skips the code step once unlocked', 'code', done, 'review'],
  ];
  it.each(cases)('%s', (_case, requested, progress, step) => {
    expect(stepToShow(requested, progress)).toBe(step);
  });
});
