/**
 * UI entry point. The SolidJS app comes with the UI issue; until then this package only type-checks the
 * live-stream messages it will parse.
 */
import { serverMessageSchema } from '@simtestlab/sync';

export const parseServerMessage = (text: string) => serverMessageSchema.parse(JSON.parse(text));
