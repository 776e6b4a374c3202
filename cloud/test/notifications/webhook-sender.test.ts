import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NonPublicAddressError, publicOnlyLookup, sendWebhook } from '../../src/notifications/webhook-sender';

describe('public-only lookup', () => {
  it('rejects a name that resolves to loopback', async () => {
    const error = await new Promise<Error | null>((resolve) => publicOnlyLookup()('localhost', { all: true }, (failure) => resolve(failure)));
    expect(error).toBeInstanceOf(NonPublicAddressError);
    expect(error?.message).toContain('WEBHOOK_ALLOW_PRIVATE=true');
  });
});

describe('webhook request', () => {
  let silent: Server;
  let url: string;

  beforeAll(async () => {
    // Accepts requests and never responds to them.
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('the silent server has no TCP address');
    url = `http://127.0.0.1:${address.port}/hook`;
  });

  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('times out as a retryable failure', async () => {
    const result = await sendWebhook({ url, secret: 'whsec_test', event: 'webhook.test', deliveryId: 'delivery-1', body: '{}' }, { allowPrivate: true, timeoutMs: 200 }, Date.now());
    expect(result).toEqual({ ok: false, status: null, error: 'no response within 200 ms', permanent: false });
  });

  it('rejects a private URL without sending', async () => {
    const result = await sendWebhook({ url, secret: 'whsec_test', event: 'webhook.test', deliveryId: 'delivery-2', body: '{}' }, { allowPrivate: false, timeoutMs: 200 }, Date.now());
    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.permanent).toBe(true);
  });
});
