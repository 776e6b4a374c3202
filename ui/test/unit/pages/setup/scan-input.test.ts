import { describe, expect, it } from 'vitest';
import { DEFAULT_BACNET_PORT, parseBacnetPort, parseCidr, parseModbusPorts, parseNumberList, parseUnitIds } from '../../../../src/pages/setup/scan-input';

describe('parseCidr', () => {
  it.each(['192.168.1.0/24', '10.0.0.0/22', '127.0.0.1/32', ' 172.16.4.0/23 '])('accepts %s', (text) => {
    expect(parseCidr(text)).toEqual({ ok: true, value: text.trim() });
  });

  const rejected: [string, string, string][] = [
    ['an empty field', '', 'Enter the network'],
    ['an address without prefix', '192.168.1.10', 'not an IPv4 network in CIDR notation'],
    ['a part above 255', '192.168.300.0/24', 'the part 300'],
    ['a prefix above 32', '192.168.1.0/33', 'at most /32'],
    ['a network above 1024 addresses', '10.0.0.0/21', '2048 addresses'],
    ['an IPv6 network', 'fd00::/64', 'not an IPv4 network'],
  ];
  it.each(rejected)('rejects %s', (_case, text, message) => {
    const parsed = parseCidr(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});

describe('parseNumberList', () => {
  const limits = { min: 1, max: 10, maxCount: 5, what: 'test values' };

  it('returns the fallback for an empty field', () => {
    expect(parseNumberList('  ', limits, [7])).toEqual({ ok: true, value: [7] });
  });

  it('reads lists and ranges, sorted and without repeats', () => {
    expect(parseNumberList('5, 1-3 2', limits, [])).toEqual({ ok: true, value: [1, 2, 3, 5] });
  });

  it('rejects a word', () => {
    const parsed = parseNumberList('1, two', limits, []);
    expect(parsed.ok ? '' : parsed.message).toContain('"two"');
  });

  it('rejects a reversed range', () => {
    const parsed = parseNumberList('4-2', limits, []);
    expect(parsed.ok ? '' : parsed.message).toContain('ends before it starts');
  });

  it('rejects a value outside the limits', () => {
    const parsed = parseNumberList('0', limits, []);
    expect(parsed.ok ? '' : parsed.message).toContain('outside 1 to 10');
  });

  it('rejects more values than allowed', () => {
    const parsed = parseNumberList('1-6', limits, []);
    expect(parsed.ok ? '' : parsed.message).toContain('more than 5');
  });
});

describe('scan defaults', () => {
  it('uses port 502 and unit id 1 for empty fields', () => {
    expect(parseModbusPorts('')).toEqual({ ok: true, value: [502] });
    expect(parseUnitIds('')).toEqual({ ok: true, value: [1] });
  });

  it('rejects reserved unit ids', () => {
    expect(parseUnitIds('248').ok).toBe(false);
  });

  it('rejects more than 8 ports', () => {
    expect(parseModbusPorts('500-508').ok).toBe(false);
  });
});

describe('parseBacnetPort', () => {
  it('defaults an empty field to 47808', () => {
    expect(parseBacnetPort(' ')).toEqual({ ok: true, value: DEFAULT_BACNET_PORT });
  });

  it('reads another UDP port', () => {
    expect(parseBacnetPort('47809')).toEqual({ ok: true, value: 47809 });
  });

  it('rejects text and ports outside 1 to 65535', () => {
    for (const text of ['bac0', '0', '65536', '-1']) {
      const parsed = parseBacnetPort(text);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.message, text).toContain('BACnet port');
    }
  });
});
