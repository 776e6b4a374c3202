/**
 * Returns whether a navigation link points at the current page. Query and hash are ignored, so the live page
 * stays marked while its point selection changes the query. With `exact` false, pages below the link
 * count too (`/devices/a` is under `/devices`).
 */
export function isCurrentPath(pathname: string, href: string, exact: boolean): boolean {
  const current = trimPath(pathname);
  const target = trimPath(href.split(/[?#]/, 1)[0] ?? '');
  if (current === target) return true;
  return !exact && target !== '' && current.startsWith(`${target}/`);
}

function trimPath(path: string): string {
  return path.replace(/\/+$/, '');
}
