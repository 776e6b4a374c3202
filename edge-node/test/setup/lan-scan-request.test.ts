import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/logger';
import { InvalidCidrError, broadcastAddress, cidrHosts, formatCidr, parseScanCidr } from '../../src/setup/scan/cidr';
import { InvalidScanRequestError, startLanScan, type ScanJob } from '../../src/setup/scan/scan-job';
import { LanScanRegistry } from '../../src/setup/scan/scan-registry';
import { foundDeviceSchema, lanScanRequestSchema } from '../../src/setup/scan/schemas';

function messagesOf(body: unknown): string[] {
  const parsed = lanScanRequestSchema.safeParse(body);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('CIDR enumeration', () => {
  it('lists a /24 without network and broadcast', () => {
    const hosts = cidrHosts(parseScanCidr('192.168.10.0/24'));

    expect(hosts).toHaveLength(254);
    expect(hosts[0]).toBe('192.168.10.1');
    expect(hosts.at(-1)).toBe('192.168.10.254');
  });

  it('lists a /22 across octet boundaries', () => {
    const hosts = cidrHosts(parseScanCidr('10.1.4.0/22'));

    expect(hosts).toHaveLength(1022);
    expect(hosts[0]).toBe('10.1.4.1');
    expect(hosts).toContain('10.1.5.255');
    expect(hosts).toContain('10.1.6.0');
    expect(hosts.at(-1)).toBe('10.1.7.254');
  });

  it.each([
    ['10.0.0.4/30', ['10.0.0.5', '10.0.0.6']],
    ['10.0.0.4/31', ['10.0.0.4', '10.0.0.5']],
    ['10.0.0.4/32', ['10.0.0.4']],
  ])('%s lists %j', (cidr, expected) => {
    expect(cidrHosts(parseScanCidr(cidr))).toEqual(expected);
  });

  it('lists the last /31 of the address space', () => {
    // parseScanCidr rejects 240.0.0.0/4, so the network is built directly to test the end of the range.
    expect(cidrHosts({ network: 0xfffffffe, prefix: 31, size: 2 })).toEqual(['255.255.255.254', '255.255.255.255']);
  });

  it('clears host bits of the entered address', () => {
    const network = parseScanCidr(' 192.168.1.77/24 ');

    expect(formatCidr(network)).toBe('192.168.1.0/24');
    expect(broadcastAddress(network)).toBe('192.168.1.255');
  });

  it('raises InvalidCidrError naming the value', () => {
    expect(() => parseScanCidr('10.0.0.0/8')).toThrow(InvalidCidrError);
    expect(() => parseScanCidr('10.0.0.0/8')).toThrow('cidr "10.0.0.0/8" covers 16777216 addresses');
  });

  const neverLans: [string, string][] = [
    ['0.0.0.0/24', '0.0.0.0/8'],
    ['169.254.169.0/24', '169.254.0.0/16'],
    ['224.0.0.0/24', '224.0.0.0/4'],
    ['239.255.255.0/24', '224.0.0.0/4'],
    ['240.0.0.0/22', '240.0.0.0/4'],
    ['255.255.255.255/32', '240.0.0.0/4'],
  ];
  it.each(neverLans)('rejects %s, which lies in %s', (cidr, range) => {
    expect(() => parseScanCidr(cidr)).toThrow(InvalidCidrError);
    expect(() => parseScanCidr(cidr)).toThrow(`cidr "${cidr}" lies in ${range}`);
  });

  it('keeps loopback and private networks allowed', () => {
    expect(formatCidr(parseScanCidr('127.0.0.0/24'))).toBe('127.0.0.0/24');
    expect(formatCidr(parseScanCidr('169.253.255.0/24'))).toBe('169.253.255.0/24');
    expect(formatCidr(parseScanCidr('223.255.255.0/24'))).toBe('223.255.255.0/24');
  });
});

describe('lanScanRequestSchema', () => {
  it('fills the defaults', () => {
    expect(lanScanRequestSchema.parse({ cidr: '192.168.1.0/24' })).toEqual({
      cidr: '192.168.1.0/24',
      modbusPorts: [502],
      unitIds: [1],
      bacnet: true,
      bacnetPort: 47808,
    });
  });

  it('removes repeated ports and unit ids', () => {
    const request = lanScanRequestSchema.parse({ cidr: '192.168.1.0/24', modbusPorts: [502, 502, 1502], unitIds: [1, 1, 2] });

    expect(request.modbusPorts).toEqual([502, 1502]);
    expect(request.unitIds).toEqual([1, 2]);
  });

  it.each([
    [{}, 'cidr: cidr is required: enter the IPv4 network to scan, such as 192.168.1.0/24'],
    [{ cidr: '192.168.1.20' }, 'cidr: cidr "192.168.1.20" has no prefix length; write it as 192.168.1.20/24 or with another prefix from /22 to /32'],
    [{ cidr: '10.0.0.0/16' }, 'cidr: cidr "10.0.0.0/16" covers 65536 addresses; use a prefix of /22 or longer (at most 1024 addresses), or scan several smaller networks'],
    [{ cidr: 'fd00::/64' }, 'cidr: cidr "fd00::/64" is IPv6; the scan takes an IPv4 network such as 192.168.1.0/24'],
    [{ cidr: 'the office' }, 'cidr: cidr "the office" is not an IPv4 network; write it as a network such as 192.168.1.0/24'],
    [{ cidr: '192.168.1.0/33' }, 'cidr: cidr "192.168.1.0/33" is not an IPv4 network; write it as a network such as 192.168.1.0/24'],
    [{ cidr: '192.168.1.256/24' }, 'cidr: cidr "192.168.1.256/24" is not an IPv4 network; write it as a network such as 192.168.1.0/24'],
    [{ cidr: '' }, 'cidr: cidr "" is not an IPv4 network; write it as a network such as 192.168.1.0/24'],
    [{ cidr: 42 }, 'cidr: cidr 42 is not text; write the network as a string such as "192.168.1.0/24"'],
  ])('rejects %j', (body, message) => {
    expect(messagesOf(body)).toEqual([message]);
  });

  it.each([
    [{ modbusPorts: [0] }, 'modbusPorts.0: port 0 is invalid; use a whole number from 1 to 65535'],
    [{ modbusPorts: [65536] }, 'modbusPorts.0: port 65536 is invalid; use a whole number from 1 to 65535'],
    [{ modbusPorts: ['502'] }, 'modbusPorts.0: port "502" is invalid; use a whole number from 1 to 65535'],
    [{ modbusPorts: [] }, 'modbusPorts: modbusPorts is empty; give at least one value or leave it out for the default'],
    [{ modbusPorts: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, 'modbusPorts: modbusPorts has 9 entries; give at most 8'],
    [{ unitIds: [248] }, 'unitIds.0: unit id 248 is invalid; use a whole number from 0 to 247'],
    [{ unitIds: [1.5] }, 'unitIds.0: unit id 1.5 is invalid; use a whole number from 0 to 247'],
    [{ bacnetPort: 0 }, 'bacnetPort: port 0 is invalid; use a whole number from 1 to 65535'],
    [{ bacnet: 'yes' }, 'bacnet: bacnet must be true or false'],
  ])('rejects %j', (fields, message) => {
    expect(messagesOf({ cidr: '192.168.1.0/24', ...fields })).toEqual([message]);
  });
});

describe('foundDeviceSchema', () => {
  it('accepts a Modbus find without SunSpec', () => {
    const device = { key: 'modbus-tcp:10.0.0.5:502:1', protocol: 'modbus-tcp', host: '10.0.0.5', port: 502, unitId: 1, sunspec: null, suggestedTemplates: [] };

    expect(foundDeviceSchema.parse(device)).toEqual(device);
  });

  it('rejects a BACnet find without its instance', () => {
    const device = { key: 'bacnet:10.0.0.9:47808:1', protocol: 'bacnet', address: '10.0.0.9', port: 47808, vendorId: 0, vendorName: '', objectName: '', modelName: '', suggestedTemplates: [] };

    expect(foundDeviceSchema.safeParse(device).success).toBe(false);
  });
});

describe('startLanScan', () => {
  it('raises before scanning for an invalid cidr', () => {
    const start = () => startLanScan({ cidr: '10.0.0.0/16', modbusPorts: [502], unitIds: [1], bacnet: true, bacnetPort: 47808, logger: createSilentLogger() });

    expect(start).toThrow(InvalidScanRequestError);
    expect(start).toThrow('cidr "10.0.0.0/16" covers 65536 addresses');
  });

  it('raises for an empty cidr', () => {
    const start = () => startLanScan({ cidr: '', modbusPorts: [502], unitIds: [1], bacnet: false, bacnetPort: 47808, logger: createSilentLogger() });

    expect(start).toThrow('cidr "" is not an IPv4 network');
  });
});

function fakeJob(id: string, state: ScanJob['state']): ScanJob & { cancelled: boolean } {
  const job = {
    id,
    cidr: '10.0.0.0/24',
    state,
    progress: { done: 0, total: 1 },
    found: [],
    finished: Promise.resolve(),
    cancelled: false,
    cancel: () => {
      job.cancelled = true;
    },
  };
  return job;
}

describe('LanScanRegistry', () => {
  it('finds a job by id', () => {
    const registry = new LanScanRegistry(2);
    const job = fakeJob('a', 'done');
    registry.add(job);

    expect(registry.get('a')).toBe(job);
    expect(registry.get('missing')).toBeUndefined();
  });

  it('drops the oldest finished job first', () => {
    const registry = new LanScanRegistry(2);
    const running = fakeJob('running', 'running');
    registry.add(running);
    registry.add(fakeJob('done', 'done'));
    registry.add(fakeJob('new', 'running'));

    expect(registry.get('done')).toBeUndefined();
    expect(registry.get('running')).toBe(running);
    expect(running.cancelled).toBe(false);
    expect(registry.get('new')).toBeDefined();
  });

  it('cancels the oldest job when all are running', () => {
    const registry = new LanScanRegistry(1);
    const first = fakeJob('first', 'running');
    registry.add(first);
    registry.add(fakeJob('second', 'running'));

    expect(first.cancelled).toBe(true);
    expect(registry.get('first')).toBeUndefined();
  });
});
