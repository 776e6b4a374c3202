import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** File in the updater's state folder with one JSON event per line, imported into the audit log by the edge node. */
export const UPDATE_EVENTS_FILE = 'events.jsonl';

/** Audit actions of the updater. */
export const updateEventActionSchema = z.enum(['update.available', 'update.applied', 'update.rolled_back', 'update.recovered']);
export type UpdateEventAction = z.infer<typeof updateEventActionSchema>;

/** One updater event: `at` in epoch ms, the release version as its target. */
export const updateEventSchema = z.object({
  id: z.string().min(1),
  at: z.number().int(),
  action: updateEventActionSchema,
  version: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type UpdateEvent = z.infer<typeof updateEventSchema>;

/**
 * Appends an updater event to `<state>/events.jsonl`. The updater runs as root and so never opens the
 * edge's database; the edge node imports the events into its audit log when it starts.
 */
export function appendUpdateEvent(stateDir: string, action: UpdateEventAction, version: string, details: Record<string, unknown>, at = Date.now()): UpdateEvent {
  const event: UpdateEvent = { id: randomUUID(), at, action, version, details };
  mkdirSync(stateDir, { recursive: true, mode: 0o755 });
  appendFileSync(join(stateDir, UPDATE_EVENTS_FILE), `${JSON.stringify(event)}\n`, { mode: 0o644 });
  return event;
}

/** Reads the events of `stateDir`, oldest first, and counts the lines that are not valid events. */
export function readUpdateEvents(stateDir: string): { events: UpdateEvent[]; invalidLines: number } {
  const path = join(stateDir, UPDATE_EVENTS_FILE);
  if (!existsSync(path)) return { events: [], invalidLines: 0 };
  const events: UpdateEvent[] = [];
  let invalidLines = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      invalidLines++;
      continue;
    }
    const parsed = updateEventSchema.safeParse(json);
    if (parsed.success) events.push(parsed.data);
    else invalidLines++;
  }
  return { events, invalidLines };
}
