/**
 * Guards a view against late responses: each call of `begin` returns a ticket, and only the newest
 * ticket is current. A response that arrives after a newer request was made is dropped, so a slow
 * response never overwrites a fresher one.
 */
export function createLatestGuard() {
  let newest = 0;
  return {
    begin(): () => boolean {
      const ticket = ++newest;
      return () => ticket === newest;
    },
  };
}

/** Runs `load` and hands its result to `apply` only when no later call started in the meantime. */
export function latestOnly<A extends unknown[], T>(load: (...args: A) => Promise<T>, apply: (value: T) => void, fail: (error: unknown) => void) {
  const guard = createLatestGuard();
  return async (...args: A): Promise<void> => {
    const current = guard.begin();
    try {
      const value = await load(...args);
      if (current()) apply(value);
    } catch (error) {
      if (current()) fail(error);
    }
  };
}
