import { describe, expect, it } from 'vitest';
import { webhookUrlProblem } from '../../src/notifications/webhook-url';

/* Webhook URLs that passed the public-address check although their address embeds or stands for a non-public IPv4 address. */

describe('IPv6 forms that carry an IPv4 address', () => {
  const cases = [
    ['IPv4-compatible loopback', 'https://[::127.0.0.1]/hook'],
    ['IPv4-compatible metadata address', 'https://[::a9fe:a9fe]/hook'],
    ['IPv4-translated loopback', 'https://[::ffff:0:7f00:1]/hook'],
    ['local-use NAT64 of a private address', 'https://[64:ff9b:1::a00:1]/hook'],
    ['6to4 of loopback', 'https://[2002:7f00:1::1]/hook'],
    ['Teredo', 'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook'],
    ['deprecated site-local', 'https://[fec0::1]/hook'],
  ] as const;

  for (const [name, url] of cases) {
    it(`refuses ${name} (${url})`, () => {
      expect(webhookUrlProblem(url, false)).toMatch(/non-public address/);
    });
  }

  it('still accepts a global IPv6 address', () => {
    expect(webhookUrlProblem('https://[2606:4700:4700::1111]/hook', false)).toBeNull();
  });
});

describe('credentials in a webhook URL', () => {
  // A user name or password in the URL would be shown by GET and kept in the audit log.
  it.each([
    ['a user and a password', 'https://user:secret@hooks.example.com/alarms'],
    ['a user only', 'https://user@hooks.example.com/alarms'],
  ])('refuses %s, even where private hosts are allowed', (_name, url) => {
    for (const allowPrivate of [false, true]) {
      const problem = webhookUrlProblem(url, allowPrivate);
      expect(problem).toMatch(/carries a user name or password/);
      expect(problem).not.toContain('secret');
    }
  });
});
