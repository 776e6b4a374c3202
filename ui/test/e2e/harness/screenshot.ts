import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR } from './paths';
import { viewports, type ViewportName } from './viewports';

/** Options of `screenshot`. */
export interface ScreenshotOptions {
  /** Viewport to resize the page to before the capture (default `desktop`, 1366x900). */
  viewport?: ViewportName;
  /** Capture the whole scrollable page instead of the viewport (default false). */
  fullPage?: boolean;
  /** Folder of the PNG file (default docs/screenshots of the repository). */
  dir?: string;
}

/**
 * Resizes the page to the viewport, saves a PNG as `<dir>/<name>.png` and returns its path. Names are
 * kebab-case, such as `edge-dashboard` or `cloud-sites-tablet`.
 */
export async function screenshot(page: Page, name: string, options: ScreenshotOptions = {}): Promise<string> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) throw new Error(`invalid screenshot name "${name}": use kebab-case letters and digits, such as "edge-dashboard"`);
  await page.setViewportSize(viewports[options.viewport ?? 'desktop']);
  const dir = options.dir ?? SCREENSHOT_DIR;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  // Animations would make the same page differ between runs.
  await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: 'disabled', caret: 'hide' });
  return path;
}
