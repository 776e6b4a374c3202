import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import createClient, { type Client } from 'openapi-fetch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { paths as CloudPaths } from '../../../../src/api/generated/cloud-api';
import { attachmentFileName, downloadOrganizationEnergyCsv, loadOrganizationEnergy } from '../../../../src/pages/energy/organization-energy-api';
import { organizationEnergy } from './organization-fixture';

let server: Server;
let cloud: Client<CloudPaths>;
const urls: string[] = [];
let reply: (request: IncomingMessage, response: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((request, response) => {
    urls.push(request.url ?? '');
    reply(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  cloud = createClient<CloudPaths>({ baseUrl: `http://127.0.0.1:${port}` });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  urls.length = 0;
});

describe('loadOrganizationEnergy', () => {
  it('asks for the period and day', async () => {
    reply = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(organizationEnergy));
    };
    const energy = await loadOrganizationEnergy(cloud, 'org-1', { kind: 'week', date: '2026-03-29' });
    expect(urls).toEqual(['/api/energy/organizations/org-1?period=week&date=2026-03-29']);
    expect(energy).toEqual(organizationEnergy);
  });

  it('throws the hub error', async () => {
    reply = (_request, response) => {
      response.writeHead(403, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'forbidden', message: 'only org admins see the organization energy' } }));
    };
    await expect(loadOrganizationEnergy(cloud, 'org-1', { kind: 'day', date: '2026-03-29' })).rejects.toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('rejects a body that is not the view', async () => {
    reply = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ ...organizationEnergy, sites: 'none' }));
    };
    await expect(loadOrganizationEnergy(cloud, 'org-1', { kind: 'day', date: '2026-03-29' })).rejects.toThrow(/sites/);
  });
});

describe('downloadOrganizationEnergyCsv', () => {
  it('reads the csv path with the hub file name', async () => {
    reply = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="acme-2026-03.csv"' });
      response.end('site,consumption_kwh\nPlant,100\n');
    };
    const { blob, fileName } = await downloadOrganizationEnergyCsv(cloud, 'org-1', { kind: 'month', date: '2026-03-05' });
    expect(urls).toEqual(['/api/energy/organizations/org-1.csv?period=month&date=2026-03-05']);
    expect(fileName).toBe('acme-2026-03.csv');
    expect(await blob.text()).toBe('site,consumption_kwh\nPlant,100\n');
  });

  it('names the file itself without a header', async () => {
    reply = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/csv' });
      response.end('x\n');
    };
    const { fileName } = await downloadOrganizationEnergyCsv(cloud, 'org-1', { kind: 'year', date: '2026-03-05' });
    expect(fileName).toBe('energy-org-1-year-2026-03-05.csv');
  });

  it('throws the hub error', async () => {
    reply = (_request, response) => {
      response.writeHead(400, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'invalid_request', message: 'invalid date "x"', parameter: 'date' } }));
    };
    await expect(downloadOrganizationEnergyCsv(cloud, 'org-1', { kind: 'year', date: 'x' })).rejects.toMatchObject({ code: 'invalid_request', parameter: 'date' });
  });
});

describe('attachmentFileName', () => {
  it('prefers the encoded name', () => {
    expect(attachmentFileName(`attachment; filename="Zurich.csv"; filename*=UTF-8''Z%C3%BCrich.csv`)).toBe('Zürich.csv');
  });

  it('reads a bare name', () => {
    expect(attachmentFileName('attachment; filename=report.csv')).toBe('report.csv');
  });

  it('returns undefined without a header', () => {
    expect(attachmentFileName(null)).toBeUndefined();
  });
});
