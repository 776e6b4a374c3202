/**
 * Semantic versions (semver.org 2.0.0): MAJOR.MINOR.PATCH with an optional pre-release after `-` and
 * build metadata after `+`. Written here because `sync` depends on zod only.
 */

const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** A parsed version; build metadata is kept but never compared. */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
  build: string | null;
}

/** Parses `text` as a semantic version, or returns null when it is not one. */
export function parseSemver(text: string): SemVer | null {
  const match = SEMVER_PATTERN.exec(text);
  if (match === null) return null;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease: match[4] === undefined ? [] : match[4].split('.'),
    build: match[5] ?? null,
  };
}

/** Checks whether `text` is a semantic version. */
export function isSemver(text: string): boolean {
  return parseSemver(text) !== null;
}

/** Compares two pre-release identifiers: numeric ones numerically and below alphanumeric ones. */
function compareIdentifier(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) return Math.sign(Number(a) - Number(b));
  if (aNumeric) return -1;
  if (bNumeric) return 1;
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Compares two semantic versions by precedence: -1 when `a` is lower, 1 when higher, 0 when equal.
 * A pre-release is lower than its release (1.0.0-rc.1 < 1.0.0). Throws on a value that is not a version.
 */
export function compareSemver(a: string, b: string): -1 | 0 | 1 {
  const left = parseSemver(a);
  const right = parseSemver(b);
  if (left === null) throw new Error(`"${a}" is not a semantic version such as 1.4.2`);
  if (right === null) throw new Error(`"${b}" is not a semantic version such as 1.4.2`);
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (left[key] !== right[key]) return left[key] < right[key] ? -1 : 1;
  }
  if (left.prerelease.length === 0 || right.prerelease.length === 0) {
    if (left.prerelease.length === right.prerelease.length) return 0;
    return left.prerelease.length === 0 ? 1 : -1;
  }
  const length = Math.max(left.prerelease.length, right.prerelease.length);
  for (let index = 0; index < length; index++) {
    const x = left.prerelease[index];
    const y = right.prerelease[index];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const order = compareIdentifier(x, y);
    if (order !== 0) return order as -1 | 1;
  }
  return 0;
}
