import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Route, type WebSocketRoute } from 'playwright-core';
import { viewports, type ViewportName } from './viewports';

/*
 * Debian's Chromium driven by playwright-core, with a fresh profile per launch. Every request and
 * WebSocket to a host other than 127.0.0.1, ::1 or localhost is aborted and recorded, and `close`
 * fails when there was one, so a test proves that the UI loads nothing from outside.
 */

/** The Chromium binary; override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Switches that keep Chromium headless and quiet: no sandbox (tests may run as root), GPU, sync, updates
 * or background requests. The resolver rule fails every host but localhost and the loopback addresses without a DNS query, so
 * a request that slipped past the route check still could not leave the machine.
 */
const CHROMIUM_ARGS = [
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]',
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** A console message of type error, or an uncaught exception of a page. */
export interface ConsoleError {
  /** `console` for console.error and failed resource loads, `pageerror` for uncaught exceptions. */
  source: 'console' | 'pageerror';
  text: string;
  /** URL of the page or script that logged it, when known. */
  location: string;
}

/** Options of `launchBrowser`. */
export interface BrowserOptions {
  /** Viewport of every page (default `desktop`, 1366x900). */
  viewport?: ViewportName;
  /** `prefers-color-scheme` of every page (default `light`). */
  colorScheme?: 'light' | 'dark';
}

/** A browser with one context, the external requests it blocked and the console errors it saw. */
export interface TestBrowser {
  context: BrowserContext;
  /** The first page, opened at launch. */
  page: Page;
  /** Opens another page in the same context (same cookies and storage), with error collection. */
  newPage(): Promise<Page>;
  /** URLs of the requests and WebSockets aimed at hosts other than loopback, which were aborted. */
  externalRequests: string[];
  /** Console errors and uncaught exceptions of every page, in arrival order. */
  consoleErrors: ConsoleError[];
  /** Throws listing the external requests, when there were any. */
  expectNoExternalRequests(): void;
  /** Closes the browser and removes its profile; throws when any external request was made. */
  close(): Promise<void>;
}

/** Returns whether `url` stays on this machine: loopback hosts, or a scheme without a host such as data: or blob:. */
export function isLocalUrl(url: string): boolean {
  const parsed = new URL(url);
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) return true;
  return LOCAL_HOSTS.has(parsed.hostname);
}

function collectErrors(page: Page, consoleErrors: ConsoleError[]): void {
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    consoleErrors.push({ source: 'console', text: message.text(), location: message.location().url || page.url() });
  });
  page.on('pageerror', (error) => {
    consoleErrors.push({ source: 'pageerror', text: `${error.name}: ${error.message}`, location: page.url() });
  });
}

/** Launches Chromium with a new profile and one page. */
export async function launchBrowser(options: BrowserOptions = {}): Promise<TestBrowser> {
  const profileDir = mkdtempSync(join(tmpdir(), 'e2e-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      viewport: viewports[options.viewport ?? 'desktop'],
      colorScheme: options.colorScheme ?? 'light',
      timeout: 60_000,
    });
  } catch (error) {
    rmSync(profileDir, { recursive: true, force: true });
    throw new Error(`Chromium at ${CHROMIUM_PATH} did not start; install Debian's chromium or set CHROMIUM_PATH`, { cause: error });
  }

  const externalRequests: string[] = [];
  const consoleErrors: ConsoleError[] = [];
  await context.route('**/*', async (route: Route) => {
    const url = route.request().url();
    if (isLocalUrl(url)) {
      await route.fallback();
      return;
    }
    externalRequests.push(url);
    await route.abort('blockedbyclient');
  });
  await context.routeWebSocket(
    () => true,
    (socket: WebSocketRoute) => {
      if (isLocalUrl(socket.url())) {
        socket.connectToServer();
        return;
      }
      externalRequests.push(socket.url());
      void socket.close({ code: 1008, reason: 'external hosts are blocked in tests' });
    },
  );

  // A persistent context opens with one blank page.
  const page = context.pages()[0] ?? (await context.newPage());
  collectErrors(page, consoleErrors);

  const expectNoExternalRequests = () => {
    if (externalRequests.length > 0) {
      throw new Error(`the browser requested ${externalRequests.length} URL(s) outside 127.0.0.1, which the test blocked: ${externalRequests.join(', ')}`);
    }
  };
  return {
    context,
    page,
    newPage: async () => {
      const added = await context.newPage();
      collectErrors(added, consoleErrors);
      return added;
    },
    externalRequests,
    consoleErrors,
    expectNoExternalRequests,
    close: async () => {
      try {
        await context.close();
      } finally {
        rmSync(profileDir, { recursive: true, force: true });
      }
      expectNoExternalRequests();
    },
  };
}
