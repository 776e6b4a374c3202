/** Bytes the stream buffers for a slow reader before the producer has to wait. */
const HIGH_WATER_MARK_BYTES = 64 * 1024;

/**
 * Returns `false` once the reader has cancelled; the producer should stop then. Otherwise resolves when
 * the reader has room for more.
 */
export type StreamWrite = (text: string) => Promise<boolean>;

/**
 * Creates a byte stream that `produce` writes text into. Each write waits while the reader has 64 KiB
 * unread, so a slow client slows the producer instead of filling memory. A producer error aborts the
 * stream, so the client gets a broken response rather than a short one that looks complete.
 */
export function createPullStream(produce: (write: StreamWrite) => Promise<void>, onError: (error: unknown) => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cancelled = false;
  let wake: (() => void) | undefined;
  const resume = () => {
    wake?.();
    wake = undefined;
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const write: StreamWrite = async (text) => {
          if (cancelled) return false;
          controller.enqueue(encoder.encode(text));
          while (!cancelled && (controller.desiredSize ?? 0) <= 0) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
          return !cancelled;
        };
        produce(write).then(
          () => {
            if (!cancelled) controller.close();
          },
          (error: unknown) => {
            onError(error);
            if (!cancelled) controller.error(error);
          },
        );
      },
      pull: resume,
      cancel() {
        cancelled = true;
        resume();
      },
    },
    { highWaterMark: HIGH_WATER_MARK_BYTES, size: (chunk) => chunk.byteLength },
  );
}
