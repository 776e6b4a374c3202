import { createSignal, onCleanup, Show } from 'solid-js';
import { describeError } from '../../api/api-error';
import type { DownloadOptions } from '../../site/site-api';
import './csv-export.css';

/** Hands a Blob to the browser as a file download through a temporary object URL. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers, so the URL lives a little longer.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Bytes as B, kB or MB, for download progress. */
export function formatBytes(bytes: number): string {
  if (bytes < 1_000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1_000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export interface CsvExportProps {
  /** Starts the export and resolves with the file; called once per click. */
  download: (options: DownloadOptions) => Promise<Blob>;
  filename: () => string;
  label?: string;
  disabled?: boolean;
  testId: string;
}

/** A CSV export button with a progress bar, the bytes received and a cancel button that stops the transfer. */
export function CsvExport(props: CsvExportProps) {
  const [running, setRunning] = createSignal(false);
  const [received, setReceived] = createSignal(0);
  const [total, setTotal] = createSignal<number | null>(null);
  const [outcome, setOutcome] = createSignal<{ kind: 'error' | 'info' | 'success'; text: string } | null>(null);
  let attempt = 0;
  let controller: AbortController | undefined;
  onCleanup(() => {
    attempt++;
    controller?.abort();
  });

  const start = async () => {
    const current = ++attempt;
    controller?.abort();
    controller = new AbortController();
    setRunning(true);
    setReceived(0);
    setTotal(null);
    setOutcome(null);
    try {
      const blob = await props.download({
        signal: controller.signal,
        progress: (bytes, all) => {
          if (current !== attempt) return;
          setReceived(bytes);
          setTotal(all);
        },
      });
      if (current !== attempt) return;
      const filename = props.filename();
      saveBlob(blob, filename);
      setOutcome({ kind: 'success', text: `Saved ${filename} (${formatBytes(blob.size)}).` });
    } catch (error) {
      if (current === attempt) setOutcome({ kind: 'error', text: `Export failed: ${describeError(error)}` });
    } finally {
      if (current === attempt) setRunning(false);
    }
  };

  const cancel = () => {
    attempt++;
    controller?.abort();
    setRunning(false);
    setOutcome({ kind: 'info', text: 'Export cancelled.' });
  };

  const percent = () => {
    const all = total();
    return all ? Math.min(100, Math.round((received() / all) * 100)) : null;
  };

  return (
    <div class="csv-export" data-testid={props.testId}>
      <div class="button-row">
        <button type="button" onClick={() => void start()} disabled={running() || props.disabled}>
          {props.label ?? 'Export CSV'}
        </button>
        <Show when={running()}>
          <button type="button" class="btn-small" onClick={cancel}>
            Cancel
          </button>
        </Show>
      </div>
      <Show when={running()}>
        <div class="csv-export-progress" role="status" aria-live="polite">
          <div
            class="progress"
            classList={{ 'progress-indeterminate': percent() === null }}
            role="progressbar"
            aria-label="Export progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent() ?? undefined}
          >
            <span style={{ width: `${percent() ?? 30}%` }} />
          </div>
          <span class="muted numeric" data-testid={`${props.testId}-bytes`}>
            {formatBytes(received())}
            {total() !== null ? ` of ${formatBytes(total()!)}` : ''}
          </span>
        </div>
      </Show>
      <Show when={outcome()}>
        {(shown) => (
          <p class={`csv-export-outcome alert-${shown().kind}`} role={shown().kind === 'error' ? 'alert' : 'status'}>
            {shown().text}
          </p>
        )}
      </Show>
    </div>
  );
}
