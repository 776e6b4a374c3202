import type { AlarmChange } from '@simtestlab/sync';
import type { LatencySummary } from './latency-summary';

/* Messages between `browser-clients.ts` and its child process. */

export type ParentCommand = { type: 'start' } | { type: 'stop' } | { type: 'close' };

export interface BrowserClientsReady {
  type: 'ready';
  sockets: number;
}

/** A `site-alarm` message as the first socket received it, forwarded at once whether or not counting runs. */
export interface BrowserAlarm {
  type: 'site-alarm';
  /** Epoch ms when the socket received the frame. */
  receivedAt: number;
  change: AlarmChange;
}

/** Counts and latencies of the frames received between `start` and `stop`. */
export interface BrowserClientsReport {
  type: 'report';
  sockets: number;
  windowMs: number;
  /** `site-samples` frames, over all sockets. */
  frames: number;
  samples: number;
  /** Samples the hub replaced by a newer one of the same point before sending, as the frames report it. */
  coalesced: number;
  minFramesPerSocket: number;
  maxFramesPerSocket: number;
  latency: LatencySummary;
  /** Sockets still open at `stop`: the hub closes a socket that stays too slow. */
  openSockets: number;
  errors: string[];
}
