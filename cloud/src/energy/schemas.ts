import { z } from '@hono/zod-openapi';
import { energyReportTableSchema, periodRequestSchema } from '@simtestlab/sync';

/** Query of a site report: the period and, optionally, the bucket resolution. A custom period needs no `date`. */
export const siteReportQuerySchema = periodRequestSchema;

/** Query of a site report's CSV: the period and the table to export. */
export const siteReportCsvQuerySchema = periodRequestSchema.extend({ table: energyReportTableSchema });

export const organizationParams = z.object({
  organizationId: z.string().openapi({
    param: { name: 'organizationId', in: 'path' },
    description: 'Organization id, followed by `.csv` for the CSV file',
    example: '0b6f6f3e-8a51-4c5e-9a55-3f1f5f0f2f11.csv',
  }),
});
