/** Reason a command stops: a signal, or `disconnect` when the IPC channel to its parent closed. */
export type StopReason = 'SIGINT' | 'SIGTERM' | 'disconnect';

/**
 * Stop requests of a long-running command: SIGINT, SIGTERM, and the close of the IPC channel to the
 * parent process. The channel exists only when the parent spawned this process with `'ipc'` in its
 * `stdio` array. The operating system closes it when the parent exits, SIGKILL included, so a
 * child that watches it learns that its parent is gone. The first request wins, and later ones are
 * ignored. Call `dispose` when done, because Node (checked on 20.20) keeps the process alive while
 * a `disconnect` listener is registered on an open channel.
 */
export class StopRequests {
  private reason: StopReason | undefined;
  private readonly waiters: Array<(reason: StopReason) => void> = [];
  private watchingParent = false;
  private watchingSignals = false;
  private readonly onSignal = (signal: NodeJS.Signals) => this.request(signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
  private readonly onDisconnect = () => this.request('disconnect');

  /** The first stop request so far, or undefined when there was none. */
  get requested(): StopReason | undefined {
    return this.reason;
  }

  /**
   * Watches the IPC channel to the parent, when this process has one. A channel that closed before
   * this call counts as a request at once.
   */
  watchParent(): void {
    if (process.send === undefined || this.watchingParent) return;
    this.watchingParent = true;
    process.once('disconnect', this.onDisconnect);
    if (!process.connected) this.request('disconnect');
  }

  /** Watches SIGINT and SIGTERM, which then no longer end the process by themselves. */
  watchSignals(): void {
    if (this.watchingSignals) return;
    this.watchingSignals = true;
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  /** Resolves with the reason of the first stop request, at once when there was one already. */
  wait(): Promise<StopReason> {
    const reason = this.reason;
    if (reason !== undefined) return Promise.resolve(reason);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Removes every listener this object registered. */
  dispose(): void {
    process.off('disconnect', this.onDisconnect);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    this.watchingParent = false;
    this.watchingSignals = false;
  }

  private request(reason: StopReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    for (const resolve of this.waiters.splice(0)) resolve(reason);
  }
}
