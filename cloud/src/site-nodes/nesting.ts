import { HttpError } from '../api/http-error';
import type { SiteNodeKind } from './schemas';

/** The nesting rule in words, for error messages and the API documentation. */
export const NESTING_RULE = 'a building sits at the top level; an area at the top level or under a building or an area; a system anywhere';

/** The parent kinds each kind may sit under; null stands for the top level of the site. */
const allowedParents: Record<SiteNodeKind, readonly (SiteNodeKind | null)[]> = {
  building: [null],
  area: [null, 'building', 'area'],
  system: [null, 'building', 'area', 'system'],
};

/** Returns true when a node of `kind` may sit under a parent of `parentKind` (null for the top level). */
export function mayNest(kind: SiteNodeKind, parentKind: SiteNodeKind | null): boolean {
  return allowedParents[kind].includes(parentKind);
}

/** Raises 400 when a node of `kind` may not sit under a parent of `parentKind`. */
export function checkNesting(kind: SiteNodeKind, parentKind: SiteNodeKind | null): void {
  if (mayNest(kind, parentKind)) return;
  const place = parentKind === null ? 'at the top level' : `under ${article(parentKind)} ${parentKind}`;
  throw new HttpError(400, 'invalid_nesting', `${article(kind)} ${kind} may not sit ${place}: ${NESTING_RULE}`, { parameter: 'parentId' });
}

function article(kind: SiteNodeKind): string {
  return kind === 'area' ? 'an' : 'a';
}
