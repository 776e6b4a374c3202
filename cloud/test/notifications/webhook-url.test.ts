import { describe, expect, it } from 'vitest';
import { isPublicAddress, webhookUrlProblem } from '../../src/notifications/webhook-url';

describe('webhook URL rules', () => {
  const cases: { url: string; allowed: boolean; allowedInLabs: boolean }[] = [
    { url: 'https://alerts.example.com/ems', allowed: true, allowedInLabs: true },
    { url: 'https://alerts.example.com:8443/ems?team=ops', allowed: true, allowedInLabs: true },
    { url: 'https://8.8.8.8/hook', allowed: true, allowedInLabs: true },
    { url: 'https://[2606:4700::1111]/hook', allowed: true, allowedInLabs: true },
    { url: 'http://alerts.example.com/ems', allowed: false, allowedInLabs: true },
    { url: 'https://127.0.0.1/hook', allowed: false, allowedInLabs: true },
    { url: 'https://2130706433/hook', allowed: false, allowedInLabs: true },
    { url: 'https://10.0.0.1/hook', allowed: false, allowedInLabs: true },
    { url: 'https://172.16.5.4/hook', allowed: false, allowedInLabs: true },
    { url: 'https://192.168.1.1/hook', allowed: false, allowedInLabs: true },
    { url: 'https://100.64.0.1/hook', allowed: false, allowedInLabs: true },
    { url: 'https://169.254.169.254/latest', allowed: false, allowedInLabs: true },
    { url: 'https://0.0.0.0/hook', allowed: false, allowedInLabs: true },
    { url: 'https://[::1]/hook', allowed: false, allowedInLabs: true },
    { url: 'https://[::ffff:127.0.0.1]/hook', allowed: false, allowedInLabs: true },
    { url: 'https://[fe80::1]/hook', allowed: false, allowedInLabs: true },
    { url: 'https://[fc00::1]/hook', allowed: false, allowedInLabs: true },
    { url: 'https://localhost/hook', allowed: false, allowedInLabs: true },
    { url: 'https://localhost./hook', allowed: false, allowedInLabs: true },
    { url: 'https://127.0.0.1./hook', allowed: false, allowedInLabs: true },
    { url: 'https://api.localhost/hook', allowed: false, allowedInLabs: true },
    { url: 'https://printer.local/hook', allowed: false, allowedInLabs: true },
    { url: 'https://metadata.google.internal/hook', allowed: false, allowedInLabs: true },
    { url: 'https://intranet/hook', allowed: false, allowedInLabs: true },
    { url: 'ftp://alerts.example.com/ems', allowed: false, allowedInLabs: false },
    { url: 'file:///etc/passwd', allowed: false, allowedInLabs: false },
    { url: 'alerts.example.com/ems', allowed: false, allowedInLabs: false },
  ];

  for (const { url, allowed, allowedInLabs } of cases) {
    it(`${url} is ${allowed ? 'allowed' : 'rejected'} by default`, () => {
      expect(webhookUrlProblem(url, false) === null).toBe(allowed);
    });
    it(`${url} is ${allowedInLabs ? 'allowed' : 'rejected'} in labs`, () => {
      expect(webhookUrlProblem(url, true) === null).toBe(allowedInLabs);
    });
  }

  it('names the setting that allows private URLs', () => {
    expect(webhookUrlProblem('https://10.0.0.1/hook', false)).toContain('WEBHOOK_ALLOW_PRIVATE=true');
    expect(webhookUrlProblem('http://alerts.example.com/', false)).toContain('WEBHOOK_ALLOW_PRIVATE=true');
  });

  it('classifies IPv4 addresses apart from IPv6 rules', () => {
    expect(isPublicAddress('93.184.215.14')).toBe(true);
    expect(isPublicAddress('192.0.2.10')).toBe(false);
    expect(isPublicAddress('not an address')).toBe(false);
  });
});
