import { describe, expect, it } from 'vitest';
import { isCurrentPath } from '../../../../src/components/layout/nav-path';

describe('isCurrentPath', () => {
  it.each([
    ['/', '/', true, true],
    ['/live', '/', true, false],
    ['/live', '/live', false, true],
    ['/live/', '/live', false, true],
    ['/devices/pv', '/devices/pv', false, true],
    ['/devices/pv-2', '/devices/pv', false, false],
    ['/sites/s1/devices/pv', '/sites/s1/devices', false, true],
    ['/sites/s1/devices/pv', '/sites/s1/devices', true, false],
    ['/sites/s1', '/sites/s1/', true, true],
    ['/live', '/live?points=a,b', false, true],
    ['/devices/pv', '/devices/pv#point-pv.W', false, true],
  ])('%s against %s (exact %s) is %s', (pathname, href, exact, expected) => {
    expect(isCurrentPath(pathname, href, exact)).toBe(expected);
  });

  it('never marks the root link as a parent of every page', () => {
    expect(isCurrentPath('/alarms', '/', false)).toBe(false);
  });
});
