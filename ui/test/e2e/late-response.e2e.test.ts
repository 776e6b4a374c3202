import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logInThroughUi, startStack, type EdgeStack, type TestBrowser } from './harness';

/*
 * Out-of-order responses in a real browser: the history page requests the last 24 hours, the user
 * switches to the last hour before that response arrives, and the late 24-hour response must not
 * replace the newer one. The edge's responses are replaced by marked bodies, so the table shows which one won.
 */

const POINT = 'house-submeter.l1_voltage';
/** Delay of the first response. */
const DELAY_MS = 4_000;
const UI_TIMEOUT_MS = 60_000;

let stack: EdgeStack | undefined;
let browser: TestBrowser | undefined;

beforeAll(async () => {
  stack = await startStack({ hub: false, simulators: ['sdm630'] });
  browser = await launchBrowser();
});

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    await stack?.stop();
  }
});

/** A raw history body with one sample whose value marks which request it belongs to. */
function markedHistory(value: number, resolution: string) {
  const ts = Date.now() - 60_000;
  return { point: POINT, unit: 'V', resolution, from: ts - 1_000, to: ts + 1_000, truncated: false, rows: [{ ts, value, quality: 'good' }] };
}

describe('history page with a late answer', () => {
  it('keeps the newer answer', async () => {
    const page = browser!.page;
    const answered: string[] = [];
    await page.route(`**/api/points/${POINT}/history?*`, async (route) => {
      const from = Number(new URL(route.request().url()).searchParams.get('from'));
      const spanH = (Date.now() - from) / 3_600_000;
      if (spanH > 2) {
        await new Promise((resolve) => setTimeout(resolve, DELAY_MS));
        answered.push('24h');
        await route.fulfill({ json: markedHistory(111.5, '1m') });
        return;
      }
      answered.push('1h');
      await route.fulfill({ json: markedHistory(222.5, 'raw') });
    });

    await logInThroughUi(page, stack!.edge.url, stack!.edge.localAdmin.username, stack!.edge.localAdmin.password);
    await page.goto(`${stack!.edge.url}/history?point=${encodeURIComponent(POINT)}&range=24h`);
    await page.getByTestId('range-1h').click({ timeout: UI_TIMEOUT_MS });
    await page.getByTestId('history-table').waitFor({ timeout: UI_TIMEOUT_MS });
    await expect.poll(() => answered.length, { timeout: UI_TIMEOUT_MS }).toBe(2);
    await page.waitForTimeout(1_000);

    const table = await page.getByTestId('history-table').textContent();
    expect(answered).toEqual(['1h', '24h']);
    expect(table).toContain('222.5');
    expect(table).not.toContain('111.5');
  });
});
