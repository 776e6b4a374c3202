import { ApiError } from '../../api/api-error';
import { SettingsSaveError } from './energy-settings-api';

/**
 * Error messages of the energy settings form, keyed by the path of the field in `SiteEnergySettings`
 * as the hub names it in an error's `parameter`: `tariffs[0].tariff.import.pricePerKwh`,
 * `virtualMeters[2].formula`. The empty path is for errors that belong to no field.
 */
export type FieldErrors = Record<string, string[]>;

/** Formats a zod issue path as a field path: `['virtualMeters', 2, 'formula']` becomes `virtualMeters[2].formula`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

/** Rewrites numeric dot segments as brackets, so `virtualMeters.2.formula` and `virtualMeters[2].formula` name the same field. */
export function normalizeFieldPath(path: string): string {
  return path.replace(/\.(\d+)(?=\.|\[|$)/g, '[$1]');
}

/** Adds a message to a field, once. */
export function addFieldError(errors: FieldErrors, path: string, message: string): void {
  const messages = (errors[path] ??= []);
  if (!messages.includes(message)) messages.push(message);
}

/** Collects zod issues by field path. */
export function fieldErrorsFromIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) addFieldError(errors, formatFieldPath(issue.path), issue.message);
  return errors;
}

/**
 * Maps a failed save to fields: each of the hub's `issues` to its path when it listed them, else the
 * message to the field named in `parameter`. An error without either, or any other thrown value, lands
 * on the empty path and shows above the form.
 */
export function fieldErrorsFromSaveError(error: unknown, describe: (error: unknown) => string): FieldErrors {
  const issues = error instanceof SettingsSaveError ? error.issues : [];
  if (issues.length > 0) {
    const errors: FieldErrors = {};
    for (const issue of issues) addFieldError(errors, normalizeFieldPath(issue.path), issue.message);
    return errors;
  }
  const path = error instanceof ApiError && error.parameter ? normalizeFieldPath(error.parameter) : '';
  return { [path]: [describe(error)] };
}

/** Merges error maps; messages of later maps follow those of earlier ones. */
export function mergeFieldErrors(...maps: FieldErrors[]): FieldErrors {
  const merged: FieldErrors = {};
  for (const map of maps) for (const [path, messages] of Object.entries(map)) for (const message of messages) addFieldError(merged, path, message);
  return merged;
}

/** Returns the element id of the input for a field path, so error summaries can move the focus there. */
export function fieldElementId(path: string): string {
  return `energy-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`;
}

/** Counts the messages in an error map. */
export function countFieldErrors(errors: FieldErrors): number {
  return Object.values(errors).reduce((count, messages) => count + messages.length, 0);
}

/** Checks whether `path` is `ancestor` or lies inside it: `tariffs[0].validFrom` lies inside `tariffs[0]` and `tariffs`. */
export function isFieldWithin(path: string, ancestor: string): boolean {
  if (ancestor === '') return true;
  return path === ancestor || path.startsWith(`${ancestor}.`) || path.startsWith(`${ancestor}[`);
}

/**
 * Picks the client-side messages to show: all of them after a save was tried, else those of fields the
 * user has left and of the groups around such fields, so a new empty row does not start out in red.
 */
export function visibleFieldErrors(errors: FieldErrors, options: { touched: ReadonlySet<string>; submitted: boolean }): FieldErrors {
  if (options.submitted) return errors;
  const touched = [...options.touched];
  return Object.fromEntries(Object.entries(errors).filter(([path]) => path !== '' && touched.some((field) => isFieldWithin(field, path))));
}

/** Combines client and server messages; a field the hub named shows only the hub's messages, which are the ones that stopped the save. */
export function withServerErrors(client: FieldErrors, server: FieldErrors): FieldErrors {
  const remaining = Object.fromEntries(Object.entries(client).filter(([path]) => server[path] === undefined));
  return mergeFieldErrors(remaining, server);
}
