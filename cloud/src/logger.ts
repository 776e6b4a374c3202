import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Creates the process logger: JSON lines on stdout, level from `LOG_LEVEL` (default info). Passwords,
 * tokens, credentials and authorization headers are redacted wherever they appear under these keys.
 */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'cloud',
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'refreshToken',
        '*.refreshToken',
        'credential',
        '*.credential',
        'authorization',
        '*.authorization',
        'headers.cookie',
      ],
      censor: '[redacted]',
    },
  });
}

/** Creates a logger that drops everything, for tests that assert on behaviour rather than log lines. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
