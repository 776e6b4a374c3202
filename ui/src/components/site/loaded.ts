import type { Resource } from 'solid-js';

/**
 * Returns the last value a resource loaded, or undefined while it has none or after it failed. Reading a
 * failed resource directly throws, and reading it while it reloads would suspend the page, so views
 * that keep showing the previous value during a reload read it through this.
 */
export function loaded<T>(resource: Resource<T>): T | undefined {
  return resource.error ? undefined : resource.latest;
}
