import { z } from '@hono/zod-openapi';

/** C0 and C1 control characters, DEL, and the bidirectional overrides that can disguise text. */
const FORBIDDEN_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** Characters that print nothing, so a name made of them alone looks empty. */
const INVISIBLE = /[\s\u200b-\u200d\u2060\ufeff]/g;

/**
 * A display name (organization, user, site, node, edge node): trimmed, 1 to 200 characters, with no
 * control characters or bidirectional overrides, and not made of invisible characters alone. Postgres
 * text cannot store NUL at all, and the others would garble logs, CSV exports and the web app.
 */
export const displayNameSchema = z
  .string()
  .trim()
  .min(1, { abort: true })
  .max(200)
  .refine((value) => !FORBIDDEN_IN_NAMES.test(value), 'must not contain control characters or bidirectional overrides')
  .refine((value) => value.replace(INVISIBLE, '') !== '', 'must contain at least one visible character');
