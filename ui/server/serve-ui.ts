/**
 * Serves the built web UI from a folder, for the edge node and the cloud hub alike. It sends static
 * files, and `index.html` for every browser navigation that no API route took. Every response carries
 * the security headers of a self-contained app that loads nothing from other hosts.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, MiddlewareHandler } from 'hono';
import { getMimeType } from 'hono/utils/mime';

/** The vite build output next to this package's `server/` folder. */
export const defaultUiDist = fileURLToPath(new URL('../dist/', import.meta.url));

/** Path prefixes that belong to the server, so an unknown path under them gets the server's own 404. */
export const serverPathPrefixes = ['/api', '/ws', '/metrics', '/healthz', '/.well-known'] as const;

/** Vite puts content-hashed file names under `assets/`, so their content never changes. */
const HASHED_CACHE = 'public, max-age=31536000, immutable';
/** Everything else, `index.html` first, is revalidated on every load so a new build shows at once. */
const REVALIDATE_CACHE = 'no-cache';

const BUILD_COMMAND = 'pnpm -C ui build';

export interface ServeUiOptions {
  /** Folder of the built UI; `ui/dist` of this package when omitted. */
  root?: string;
}

/** A host header value that is safe to repeat in the CSP: a name or address and an optional port. */
const HOST_PATTERN = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Builds the Content-Security-Policy. `connect-src` names the live stream's ws: and wss: URLs of the
 * requested host, because browsers before CSP level 3 do not let 'self' match WebSocket schemes.
 */
function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host !== undefined && HOST_PATTERN.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function securityHeaders(c: Context): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(c.req.header('host')),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };
}

function isServerPath(path: string): boolean {
  return serverPathPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

function acceptsHtml(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes('text/html');
}

/**
 * Maps a URL path to a file inside `root`, or returns null when the decoded path could leave it: a
 * `..` segment, a backslash, a NUL byte or percent-encoding that does not decode.
 */
function fileInRoot(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((segment) => segment === '..')) return null;
  const file = resolve(root, `.${decoded}`);
  return file === root || file.startsWith(`${root}${sep}`) ? file : null;
}

/** Returns the file's size and change time, or null when it is missing or not a regular file. */
async function regularFile(path: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? { size: info.size, mtimeMs: info.mtimeMs } : null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

async function sendFile(c: Context, path: string, info: { size: number; mtimeMs: number }, cacheControl: string): Promise<Response> {
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = {
    ...securityHeaders(c),
    'Cache-Control': cacheControl,
    ETag: etag,
    'Last-Modified': new Date(info.mtimeMs).toUTCString(),
  };
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
  headers['Content-Type'] = getMimeType(path) ?? 'application/octet-stream';
  headers['Content-Length'] = String(info.size);
  if (c.req.method === 'HEAD') return c.body(null, 200, headers);
  return c.body(new Uint8Array(await readFile(path)), 200, headers);
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** 503 for a server whose UI folder has no `index.html`: an HTML page for browsers, the error body for other clients. */
function notBuiltResponse(c: Context, indexPath: string): Response {
  const message = `the web UI is not built: ${indexPath} is missing; run "${BUILD_COMMAND}" in the repository and reload`;
  const headers = { ...securityHeaders(c), 'Cache-Control': 'no-store', 'Retry-After': '60' };
  if (!acceptsHtml(c)) return c.json({ error: { code: 'ui_not_built', message } }, 503, headers);
  const page = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>Web UI not built</title></head><body>',
    '<h1>The web UI is not built</h1>',
    `<p>The server found no <code>${escapeHtml(indexPath)}</code>. Build the UI from the repository root:</p>`,
    `<pre>${escapeHtml(BUILD_COMMAND)}</pre>`,
    '<p>Then reload this page. The API keeps working meanwhile.</p>',
    '</body></html>',
  ].join('\n');
  return c.html(page, 503, headers);
}

/**
 * Returns a middleware that serves the UI. Mount it after the API routes: a GET or HEAD that no route
 * answered gets the file at its path, and a browser navigation (Accept: text/html) outside the
 * server's paths gets `index.html`, so client-side routes survive a reload. Other requests go on to
 * the app's 404. Hashed files under `/assets/` are cached for a year, all other files revalidate.
 */
export function serveUi(options: ServeUiOptions = {}): MiddlewareHandler {
  const root = resolve(options.root ?? defaultUiDist);
  const indexPath = resolve(root, 'index.html');

  return async (c, next) => {
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || isServerPath(c.req.path)) return next();
    const urlPath = new URL(c.req.url).pathname;
    const file = fileInRoot(root, urlPath);
    if (file === null) {
      return c.json({ error: { code: 'invalid_path', message: `path ${JSON.stringify(urlPath)} leaves the UI folder; request a file inside it` } }, 400, securityHeaders(c));
    }

    const index = await regularFile(indexPath);
    if (index === null) return notBuiltResponse(c, indexPath);

    const isAsset = urlPath.startsWith('/assets/');
    const found = file === root ? null : await regularFile(file);
    if (found !== null) return sendFile(c, file, found, isAsset ? HASHED_CACHE : REVALIDATE_CACHE);
    // A missing hashed file is an old build's chunk: index.html in its place would run as a script.
    if (isAsset || !acceptsHtml(c)) return urlPath === '/' ? sendFile(c, indexPath, index, REVALIDATE_CACHE) : next();
    return sendFile(c, indexPath, index, REVALIDATE_CACHE);
  };
}
