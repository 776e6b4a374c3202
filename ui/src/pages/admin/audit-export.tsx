import { createSignal, onCleanup, Show } from 'solid-js';
import { describeError } from '../../api/api-error';
import { unwrap } from '../../api/http';
import type { paths } from '../../api/generated/cloud-api';
import { useCloud } from '../../app/app-context';

export type AuditFilters = NonNullable<paths['/api/audit/export.csv']['get']['parameters']['query']>;

interface ExportProgress {
  bytes: number;
  rows: number;
}

const NEWLINE = 10;

/** Counts line feeds, so the progress shows rows received; quoted cells with line breaks count too, so it is an estimate. */
function countLines(chunk: Uint8Array): number {
  let lines = 0;
  for (const byte of chunk) if (byte === NEWLINE) lines += 1;
  return lines;
}

/** Hands a finished file to the browser's download. */
function saveFile(parts: BlobPart[], fileName: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * Exports the audit entries that match the filters as CSV. The hub streams up to 100000 rows without
 * a length, so the progress counts rows and bytes received instead of a percentage. Cancel aborts the
 * request.
 */
export function AuditExport(props: { filters: () => AuditFilters }) {
  const cloud = useCloud();
  const [progress, setProgress] = createSignal<ExportProgress | null>(null);
  const [outcome, setOutcome] = createSignal<{ kind: 'success' | 'error'; text: string } | null>(null);
  let controller: AbortController | undefined;
  onCleanup(() => controller?.abort());

  const run = async () => {
    controller = new AbortController();
    setOutcome(null);
    setProgress({ bytes: 0, rows: 0 });
    try {
      const answer = await cloud.GET('/api/audit/export.csv', { params: { query: props.filters() }, parseAs: 'stream', signal: controller.signal });
      const stream = await unwrap(Promise.resolve(answer));
      if (!stream) throw new Error('the hub returned an empty response; try the export again');
      const parts: Uint8Array[] = [];
      const reader = stream.getReader();
      let bytes = 0;
      let rows = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        bytes += value.byteLength;
        rows += countLines(value);
        setProgress({ bytes, rows });
      }
      saveFile(parts as BlobPart[], `audit-log-${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}.csv`);
      const dataRows = Math.max(0, rows - 1);
      const truncated = answer.response.headers.get('X-Export-Truncated') === 'true';
      setOutcome({
        kind: 'success',
        text: truncated
          ? `Exported the newest ${dataRows} entries; more matched, so narrow the time range to export the older ones.`
          : `Exported about ${dataRows} entries.`,
      });
    } catch (error) {
      const aborted = error instanceof DOMException && error.name === 'AbortError';
      setOutcome({ kind: 'error', text: aborted ? 'Export cancelled.' : `Export failed: ${describeError(error)}` });
    } finally {
      setProgress(null);
      controller = undefined;
    }
  };

  return (
    <div class="audit-export" data-testid="audit-export">
      <div class="button-row">
        <button type="button" onClick={() => void run()} disabled={progress() !== null} data-testid="audit-export-button">
          Export CSV
        </button>
        <Show when={progress()}>
          <button type="button" class="btn-small" onClick={() => controller?.abort()}>
            Cancel export
          </button>
        </Show>
      </div>
      <Show when={progress()}>
        {(current) => (
          <div role="status" data-testid="audit-export-progress">
            <div class="progress progress-indeterminate" aria-hidden="true">
              <span />
            </div>
            <p class="field-hint">
              Receiving: about {Math.max(0, current().rows - 1)} entries, {(current().bytes / 1024).toFixed(0)} KiB
            </p>
          </div>
        )}
      </Show>
      <Show when={outcome()}>
        {(current) => (
          <p class={current().kind === 'success' ? 'alert alert-success' : 'alert alert-error'} role={current().kind === 'success' ? 'status' : 'alert'}>
            {current().text}
          </p>
        )}
      </Show>
    </div>
  );
}
