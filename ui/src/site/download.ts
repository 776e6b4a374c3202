import type { Progress } from './site-api';

/** Reads a response body to a Blob, reporting bytes received and the total when the server gives one. */
export async function readWithProgress(response: Response, progress: Progress): Promise<Blob> {
  const total = Number(response.headers.get('Content-Length')) || null;
  const type = response.headers.get('Content-Type') ?? 'application/octet-stream';
  if (!response.body) return new Blob([await response.arrayBuffer()], { type });
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  progress(0, total);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    progress(received, total);
  }
  return new Blob(chunks as BlobPart[], { type });
}
