/** One place where two JSON values differ: its path and both values there. */
export interface JsonDifference {
  path: string;
  edge: unknown;
  hub: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Returns the `id` of every entry when all entries are objects with a distinct string `id`, else undefined. */
function idsOf(entries: readonly unknown[]): string[] | undefined {
  const ids = entries.map((entry) => (isObject(entry) && typeof entry.id === 'string' ? entry.id : undefined));
  if (ids.some((id) => id === undefined) || new Set(ids).size !== ids.length) return undefined;
  return ids as string[];
}

const sameSet = (left: readonly string[], right: readonly string[]) => left.length === right.length && left.every((id) => right.includes(id));

/**
 * Lists the paths at which two parsed JSON values differ, such as `buckets[3].gridImportWh`, up to
 * `limit` of them. Two arrays of the same entries with ids in another order give one difference at
 * `[*].id`, and their entries are then compared by id. A list of the differing leaves names them where
 * a full diff of two large documents would be cut off.
 */
export function jsonDifferences(edge: unknown, hub: unknown, limit = 40, path = '$'): JsonDifference[] {
  const found: JsonDifference[] = [];
  const visit = (left: unknown, right: unknown, at: string) => {
    if (found.length >= limit) return;
    if (Array.isArray(left) && Array.isArray(right)) {
      const leftIds = idsOf(left);
      const rightIds = idsOf(right);
      if (leftIds !== undefined && rightIds !== undefined && leftIds.join() !== rightIds.join() && sameSet(leftIds, rightIds)) {
        // The same entries in another order: name the order once, then compare the entries by id.
        found.push({ path: `${at}[*].id`, edge: leftIds, hub: rightIds });
        for (const [i, id] of leftIds.entries()) visit(left[i], right[rightIds.indexOf(id)], `${at}[id=${id}]`);
        return;
      }
      if (left.length !== right.length) found.push({ path: `${at}.length`, edge: left.length, hub: right.length });
      for (let i = 0; i < Math.min(left.length, right.length); i++) visit(left[i], right[i], `${at}[${i}]`);
      return;
    }
    if (isObject(left) && isObject(right)) {
      for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) visit(left[key], right[key], `${at}.${key}`);
      return;
    }
    if (!Object.is(left, right)) found.push({ path: at, edge: left, hub: right });
  };
  visit(edge, hub, path);
  return found;
}
