import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import createClient, { type Client } from 'openapi-fetch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, describeError } from '../../../../src/api/api-error';
import type { paths as CloudPaths } from '../../../../src/api/generated/cloud-api';
import { loadEnergySettings, saveEnergySettings, SettingsSaveError } from '../../../../src/components/energy-settings/energy-settings-api';
import { fieldErrorsFromSaveError } from '../../../../src/components/energy-settings/field-errors';
import { fullSettings, siteMeters } from './settings-fixture';

interface Recorded {
  method: string;
  url: string;
  body: string;
}

let server: Server;
let cloud: Client<CloudPaths>;
const requests: Recorded[] = [];
let reply: (request: IncomingMessage, response: ServerResponse) => void;

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', body });
      reply(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  cloud = createClient<CloudPaths>({ baseUrl: `http://127.0.0.1:${port}` });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests.length = 0;
});

const loaded = { currency: 'EUR', settings: fullSettings, updatedAt: '2026-03-01T10:00:00.000Z', updatedBy: '6f1c2a40-3a0e-4d59-9d55-0b8f3c1e2d10', meters: siteMeters, invalidStoredSettings: null };

describe('loadEnergySettings', () => {
  it('reads the settings route', async () => {
    reply = (_request, response) => json(response, 200, loaded);
    const result = await loadEnergySettings(cloud, 'site 1');
    expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual(['GET /api/sites/site%201/energy-settings']);
    expect(result).toEqual(loaded);
  });

  it('reads invalid stored settings', async () => {
    const invalidStoredSettings = { message: 'tariffs: expected array', issues: [{ path: 'tariffs', message: 'expected array' }] };
    reply = (_request, response) => json(response, 200, { ...loaded, invalidStoredSettings });
    const result = await loadEnergySettings(cloud, 'site 1');
    expect(result.invalidStoredSettings).toEqual(invalidStoredSettings);
  });

  it('accepts a meter without a name', async () => {
    reply = (_request, response) => json(response, 200, { ...loaded, siteId: 's1', meters: [{ ...siteMeters[0], name: null }] });
    const result = await loadEnergySettings(cloud, 's1');
    expect(result.meters[0]!.name).toBeNull();
  });

  it('fills defaults for empty settings', async () => {
    reply = (_request, response) => json(response, 200, { ...loaded, settings: {}, updatedAt: null, updatedBy: null });
    const result = await loadEnergySettings(cloud, 's1');
    expect(result.settings).toEqual({ tariffs: [], virtualMeters: [], gridEmissionFactorGPerKwh: null, nightWindow: { fromHour: 0, toHour: 5 } });
    expect(result.updatedAt).toBeNull();
  });

  it('rejects a body without meters', async () => {
    reply = (_request, response) => json(response, 200, { ...loaded, meters: undefined });
    await expect(loadEnergySettings(cloud, 's1')).rejects.toThrow(/meters/);
  });

  it('throws the hub error', async () => {
    reply = (_request, response) => json(response, 404, { error: { code: 'not_found', message: 'site "s9" not found' } });
    await expect(loadEnergySettings(cloud, 's9')).rejects.toMatchObject({ status: 404, code: 'not_found', message: 'site "s9" not found' });
  });
});

describe('saveEnergySettings', () => {
  it('puts the settings as JSON', async () => {
    reply = (_request, response) => json(response, 200, loaded);
    await saveEnergySettings(cloud, 's1', fullSettings);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe('PUT');
    expect(requests[0]!.url).toBe('/api/sites/s1/energy-settings');
    expect(JSON.parse(requests[0]!.body)).toEqual(fullSettings);
  });

  it('keeps every issue of a 422', async () => {
    const issues = [
      { path: 'virtualMeters[0].formula', message: 'virtual meter "a" (virtualMeters[0]): unknown meter "x"' },
      { path: 'virtualMeters[1].formula', message: 'virtual meter "b" (virtualMeters[1]): unknown meter "y"' },
    ];
    reply = (_request, response) =>
      json(response, 422, { error: { code: 'invalid_virtual_meter', message: `${issues[0]!.message} (1 more problems are listed in issues)`, parameter: issues[0]!.path, issues } });
    const failure = await saveEnergySettings(cloud, 's1', fullSettings).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SettingsSaveError);
    expect((failure as SettingsSaveError).status).toBe(422);
    expect(fieldErrorsFromSaveError(failure, describeError)).toEqual({ 'virtualMeters[0].formula': [issues[0]!.message], 'virtualMeters[1].formula': [issues[1]!.message] });
  });

  it('maps a rejected formula to its field', async () => {
    const message = 'unknown meter "heat-pump.WH" in the formula of "house"; known meters: grid-meter.TotWhExp, grid-meter.TotWhImp, pv.WH';
    reply = (_request, response) => json(response, 400, { error: { code: 'invalid_virtual_meter', message, parameter: 'virtualMeters[0].formula' } });
    const failure = await saveEnergySettings(cloud, 's1', fullSettings).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe('invalid_virtual_meter');
    expect(fieldErrorsFromSaveError(failure, describeError)).toEqual({ 'virtualMeters[0].formula': [message] });
  });
});
