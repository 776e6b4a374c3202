/**
 * Runs async tasks one at a time in call order. Setup steps await password hashing and hub requests,
 * so without it two requests could interleave between reading and writing the setup state.
 */
export class SetupMutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it has settled; a failed task does not stop the queue. */
  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
