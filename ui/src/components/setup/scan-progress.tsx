import { Match, Show, Switch } from 'solid-js';
import type { ScanResult } from '../../pages/setup/setup-types';

/** Shows the state of the last scan: a progress bar while it runs, then how many devices it found or why it failed. */
export function ScanProgress(props: { scan: ScanResult }) {
  const percent = () => (props.scan.progress.total === 0 ? 0 : Math.round((100 * props.scan.progress.done) / props.scan.progress.total));
  const found = () => props.scan.found.length;
  return (
    <div class="setup-scan-progress" data-testid="setup-scan-progress" data-state={props.scan.state}>
      <Show when={props.scan.state === 'running'}>
        <div class="progress" role="progressbar" aria-label={`Scan of ${props.scan.cidr}`} aria-valuemin={0} aria-valuemax={props.scan.progress.total} aria-valuenow={props.scan.progress.done}>
          <span style={{ width: `${percent()}%` }} />
        </div>
      </Show>
      <p role="status">
        <Switch>
          <Match when={props.scan.state === 'running'}>
            Scanning {props.scan.cidr}: {props.scan.progress.done} of {props.scan.progress.total} checks done, {found()} {found() === 1 ? 'device' : 'devices'} found so far.
          </Match>
          <Match when={props.scan.state === 'done' && found() === 0}>
            The scan of {props.scan.cidr} found no device. Check the network, the ports and the unit ids, and that the devices are switched on, or add them by hand.
          </Match>
          <Match when={props.scan.state === 'done'}>
            The scan of {props.scan.cidr} found {found()} {found() === 1 ? 'device' : 'devices'}. Tick the ones this site uses, name them and check their templates.
          </Match>
        </Switch>
      </p>
      <Show when={props.scan.state === 'failed'}>
        <div class="alert alert-error" role="alert">
          <strong>The scan of {props.scan.cidr} failed: {props.scan.error ?? 'the edge node gave no reason'}.</strong> Check the network and scan again. Devices found before
          the failure are listed below.
        </div>
      </Show>
    </div>
  );
}
