import { randomInt, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The setup code: 8 random digits that the console shows and the installer types into the setup page
 * to prove they can see this machine's console or journal. It is kept in `<data>/setup-code` with mode
 * 0600, so a restart shows the same code, and deleted when setup finishes.
 */

/** File name of the setup code inside the data folder. */
export const SETUP_CODE_FILE_NAME = 'setup-code';

const CODE_PATTERN = /^\d{8}$/;

export function setupCodePath(dataDir: string): string {
  return join(dataDir, SETUP_CODE_FILE_NAME);
}

/** Returns a new code of 8 digits from the CSPRNG, leading zeros included. */
function generateSetupCode(): string {
  return String(randomInt(0, 100_000_000)).padStart(8, '0');
}

/**
 * Returns the code stored in `dataDir`, or creates and stores a new one when the file is missing or
 * does not contain 8 digits. The file mode is set to 0600 either way.
 */
export function loadOrCreateSetupCode(dataDir: string): string {
  const path = setupCodePath(dataDir);
  // The folder also gets the database with the password hashes and the cloud credential: owner only.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (existsSync(path)) {
    const stored = readFileSync(path, 'utf8').trim();
    if (CODE_PATTERN.test(stored)) {
      chmodSync(path, 0o600);
      return stored;
    }
  }
  const code = generateSetupCode();
  writeFileSync(path, `${code}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return code;
}

/** Deletes the stored code; a missing file is fine. */
export function deleteSetupCode(dataDir: string): void {
  rmSync(setupCodePath(dataDir), { force: true });
}

/** Shows a code as the console prints it: `1234-5678`. */
export function formatSetupCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Compares typed input with the code in constant time; spaces and dashes in the input do not matter. */
export function setupCodeMatches(code: string, input: string): boolean {
  const digits = input.replaceAll(/[\s-]/g, '');
  if (!CODE_PATTERN.test(digits)) return false;
  return timingSafeEqual(Buffer.from(digits), Buffer.from(code));
}
