import pino from 'pino';
import type { Logger } from '../../../src/logger';

/** A parsed pino log line. */
export type LogLine = { level: number; msg: string } & Record<string, unknown>;

/** Creates a debug-level logger that keeps every line in `lines`, for tests that assert on logging. */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}
