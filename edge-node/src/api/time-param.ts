import { z } from '@hono/zod-openapi';

/**
 * Parses a time query parameter: epoch milliseconds or an ISO 8601 date-time with an offset
 * (`2026-01-31T12:00:00Z`). A bare local time is rejected because the server cannot know its zone.
 */
export const timeParamSchema = z.string().transform((text, context) => {
  if (/^-?\d+$/.test(text)) return Number(text);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    const ts = Date.parse(text);
    if (!Number.isNaN(ts) && isCalendarDate(text)) return ts;
  }
  context.addIssue({
    code: 'custom',
    message: `invalid time "${text.slice(0, 40)}": expected epoch milliseconds or ISO 8601 with offset, e.g. 2026-01-31T12:00:00Z`,
  });
  return z.NEVER;
});

/** Checks the `YYYY-MM-DD` prefix names a real day: `Date.parse` rolls 2026-02-30 over to March 2. */
function isCalendarDate(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `timeParamSchema` as the OpenAPI document shows it: the query string before parsing. */
export const timeParamDocSchema = z.string().openapi({
  description: 'Epoch milliseconds or ISO 8601 date-time with an offset',
  example: '2026-01-31T12:00:00Z',
});
