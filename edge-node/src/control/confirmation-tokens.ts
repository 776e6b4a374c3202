import { randomUUID } from 'node:crypto';
import type { ControlValue } from '@simtestlab/sync';

/** How long a confirmation token of a dangerous point stays valid. */
export const CONFIRMATION_TTL_MS = 30_000;

interface PendingConfirmation {
  actorId: string;
  point: string;
  value: ControlValue;
  leaseS: number | undefined;
  expiresAt: number;
}

/**
 * Single-use tokens that confirm a write to a dangerous point. A token is bound to the user, the point,
 * the value and the lease of the first request, and expires after 30 s.
 */
export class ConfirmationTokens {
  private readonly pending = new Map<string, PendingConfirmation>();

  constructor(private readonly now: () => number) {}

  issue(actorId: string, point: string, value: ControlValue, leaseS: number | undefined): { token: string; expiresAt: number } {
    this.prune();
    const token = randomUUID();
    const expiresAt = this.now() + CONFIRMATION_TTL_MS;
    this.pending.set(token, { actorId, point, value, leaseS, expiresAt });
    return { token, expiresAt };
  }

  /**
   * Uses up a token and returns whether it confirms this write: issued to the same user for the same
   * point, value and lease, and not expired. A token is gone after one use, whether it matched or not.
   */
  consume(token: string, actorId: string, point: string, value: ControlValue, leaseS: number | undefined): boolean {
    const pending = this.pending.get(token);
    this.pending.delete(token);
    if (!pending) return false;
    return (
      pending.expiresAt > this.now() && pending.actorId === actorId && pending.point === point && pending.value === value && pending.leaseS === leaseS
    );
  }

  private prune(): void {
    const now = this.now();
    for (const [token, pending] of this.pending) if (pending.expiresAt <= now) this.pending.delete(token);
  }
}
