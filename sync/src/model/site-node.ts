import { z } from 'zod';

/** Kinds of the hierarchy below a site. */
export const siteNodeKinds = ['building', 'area', 'system'] as const;
export const siteNodeKindSchema = z.enum(siteNodeKinds);
export type SiteNodeKind = z.infer<typeof siteNodeKindSchema>;

/** The nesting rule in words, for error messages and documentation. */
export const NESTING_RULE = 'a building sits at the top level; an area at the top level or under a building or an area; a system anywhere';

/** The parent kinds each kind may sit under; null stands for the top level of the site. */
const allowedParents: Record<SiteNodeKind, readonly (SiteNodeKind | null)[]> = {
  building: [null],
  area: [null, 'building', 'area'],
  system: [null, 'building', 'area', 'system'],
};

/** Checks whether a node of `kind` may sit under a parent of `parentKind` (null for the top level). */
export function mayNest(kind: SiteNodeKind, parentKind: SiteNodeKind | null): boolean {
  return allowedParents[kind].includes(parentKind);
}
