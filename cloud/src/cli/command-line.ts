/** A wrong command line: the CLI prints the message and the command's help, then exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly help: string,
  ) {
    super(message);
  }
}

/** Runs a node:util parseArgs call and turns its errors (unknown option, missing value, stray argument) into a UsageError. */
export function parseCommandLine<T>(help: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) throw new UsageError((error as Error).message, help);
    throw error;
  }
}
