import { mayNest, NESTING_RULE, type SiteNodeKind } from '@simtestlab/sync';
import { HttpError } from '../api/http-error';

/** Raises 400 when a node of `kind` may not sit under a parent of `parentKind`. */
export function checkNesting(kind: SiteNodeKind, parentKind: SiteNodeKind | null): void {
  if (mayNest(kind, parentKind)) return;
  const place = parentKind === null ? 'at the top level' : `under ${article(parentKind)} ${parentKind}`;
  throw new HttpError(400, 'invalid_nesting', `${article(kind)} ${kind} may not sit ${place}: ${NESTING_RULE}`, { parameter: 'parentId' });
}

function article(kind: SiteNodeKind): string {
  return kind === 'area' ? 'an' : 'a';
}
