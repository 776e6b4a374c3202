import { z } from 'zod';

/** Checks an IANA time zone name against the runtime's zone database. */
export const timeZoneSchema = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone name such as "Europe/Paris"' },
);

export const siteSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected lowercase letters, digits, "_" or "-"'),
  name: z.string().min(1).max(200),
  timeZone: timeZoneSchema,
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  /** Whether operators may control devices at this site; a paired edge takes it from the hub instead. */
  operatorControl: z.boolean().default(false),
});
export type Site = z.infer<typeof siteSchema>;
