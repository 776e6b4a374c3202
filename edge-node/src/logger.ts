import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Creates the process logger. JSON lines on stdout; `LOG_LEVEL` sets the level (default info).
 * Credentials are redacted wherever they appear under these keys.
 */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'edge-node',
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'secret', '*.secret'],
      censor: '[redacted]',
    },
  });
}

/** A logger that drops everything, for tests that assert on behaviour rather than log lines. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
