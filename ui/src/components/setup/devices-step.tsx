import { useBeforeLeave, type BeforeLeaveEventArgs } from '@solidjs/router';
import { createSignal, onCleanup, Show } from 'solid-js';
import { checkSelectedRows, mergeFound, toDeviceRequests, type DeviceRow, type RowProblem } from '../../pages/setup/device-rows';
import { rowsFromSaved } from '../../pages/setup/saved-devices';
import { makeScanPoller } from '../../pages/setup/scan-poller';
import type { SetupApi } from '../../pages/setup/setup-api';
import type { ScanRequest, ScanResult, SetupDeviceRequest, SetupTemplate } from '../../pages/setup/setup-types';
import { DeviceTable } from './device-table';
import { ManualDeviceForm } from './manual-device-form';
import { ScanForm } from './scan-form';
import { ScanProgress } from './scan-progress';
import { StepFailure } from './step-failure';
import { createStepAction, type SetupSession } from './step-action';

/**
 * Shows step 4: find the devices on the LAN, or add them by hand, and choose which the site uses. The
 * rows live in the page, so going back to this step keeps them. Leaving the step with ticked devices
 * that differ from the saved ones is held back until the installer saves or discards them.
 */
export function DevicesStep(props: {
  api: SetupApi;
  templates: readonly SetupTemplate[];
  templatesFailed: boolean;
  rows: readonly DeviceRow[];
  savedCount: number;
  /** The devices saved on the node, or null when their names are unknown to this tab. */
  savedDevices: readonly SetupDeviceRequest[] | null;
  unsaved: boolean;
  session: SetupSession;
  onRowsChange(rows: DeviceRow[]): void;
  /** Runs after a successful save with the devices sent and the number the node saved. */
  onSaved(devices: SetupDeviceRequest[], count: number): void;
  onDone(message: string): void;
}) {
  const [scan, setScan] = createSignal<ScanResult | null>(null);
  const [problems, setProblems] = createSignal<RowProblem[]>([]);
  const [leaving, setLeaving] = createSignal<BeforeLeaveEventArgs | null>(null);
  const scanAction = createStepAction('scan', props.session);
  const saveAction = createStepAction('devices', props.session, () => toDeviceRequests(props.rows).map((device) => device.name));
  let stopPolling: (() => void) | undefined;
  onCleanup(() => stopPolling?.());

  // The step list, a link and the browser's Back button all navigate, so one check covers them.
  useBeforeLeave((event) => {
    if (event.defaultPrevented || !props.unsaved) return;
    event.preventDefault();
    setLeaving(event);
  });

  const startScan = async (request: ScanRequest) => {
    stopPolling?.();
    setScan(null);
    const started = await scanAction.run(() => props.api.startScan(request));
    if (started === undefined) return;
    stopPolling = makeScanPoller(started.scanId, {
      read: (scanId) => props.api.readScan(scanId),
      onUpdate: (result) => {
        setScan(result);
        props.onRowsChange(mergeFound(props.rows, result.found));
      },
      onError: (error) => void scanAction.fail(error),
    });
  };

  const changeRow = (key: string, change: Partial<DeviceRow>) => {
    props.onRowsChange(props.rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
    saveAction.clear();
    if (problems().length > 0) setProblems(checkSelectedRows(props.rows));
  };

  const selectedCount = () => props.rows.filter((row) => row.selected).length;

  /** Saves the ticked devices; resolves with the success message, or null when nothing was saved. */
  const saveRows = async (): Promise<string | null> => {
    const found = checkSelectedRows(props.rows);
    setProblems(found);
    if (found.length > 0) return null;
    if (selectedCount() === 0 && props.savedCount === 0) return 'No devices were chosen. You can add devices to the site file later.';
    const devices = toDeviceRequests(props.rows);
    const saved = await saveAction.run(() => props.api.saveDevices(devices));
    if (saved === undefined) return null;
    props.onSaved(devices, saved.devices);
    return `${saved.devices} ${saved.devices === 1 ? 'device was' : 'devices were'} saved for the site.`;
  };

  const save = async () => {
    const message = await saveRows();
    if (message !== null) props.onDone(message);
  };

  /** Saves, then goes where the installer was heading. */
  const saveAndLeave = async (event: BeforeLeaveEventArgs) => {
    const message = await saveRows();
    if (message === null) return;
    setLeaving(null);
    event.retry(true);
  };

  const discardAndLeave = (event: BeforeLeaveEventArgs) => {
    props.onRowsChange(rowsFromSaved(props.savedDevices ?? []));
    setProblems([]);
    setLeaving(null);
    event.retry(true);
  };

  return (
    <div data-testid="setup-devices-step">
      <h2>Find the devices</h2>
      <p>
        The scan asks each address of the network for SunSpec devices on the Modbus ports and unit ids below, and for BACnet devices. It only reads from the
        devices.
      </p>
      <Show when={props.savedCount > 0}>
        <div class="alert alert-info" role="status">
          {props.savedCount} {props.savedCount === 1 ? 'device is' : 'devices are'} already saved for this setup. Saving this step again replaces them with the
          devices ticked below.
        </div>
      </Show>
      <ScanForm busy={scanAction.busy() || scan()?.state === 'running'} onScan={(request) => void startScan(request)} onEdit={scanAction.clear} />
      <StepFailure failure={scanAction.failure()} testId="setup-scan-error" />
      <Show when={scan()}>{(result) => <ScanProgress scan={result()} />}</Show>
      <Show when={props.templatesFailed}>
        <div class="alert alert-error" role="alert">
          The device templates could not be loaded, so no template can be chosen. Reload the page to try again.
        </div>
      </Show>
      <h3>Devices</h3>
      <DeviceTable rows={props.rows} templates={props.templates} problems={problems()} onChange={changeRow} />
      <details class="setup-manual">
        <summary>Add a device by hand</summary>
        <ManualDeviceForm templates={props.templates} nextIndex={props.rows.length + 1} onAdd={(row) => props.onRowsChange([...props.rows, row])} />
      </details>
      <Show when={problems().length > 0}>
        <div class="alert alert-error" role="alert" data-testid="setup-device-problems">
          <ul class="setup-problems">
            {problems().map((problem) => (
              <li>{problem.message}</li>
            ))}
          </ul>
        </div>
      </Show>
      <StepFailure failure={saveAction.failure()} />
      <Show when={leaving()}>
        {(event) => (
          <div class="alert alert-error" role="alert" data-testid="setup-devices-unsaved">
            <strong>You have unsaved device changes: save or discard them.</strong> Finishing writes only the saved devices.
            <div class="button-row">
              <button type="button" class="btn-primary" disabled={saveAction.busy()} onClick={() => void saveAndLeave(event())}>
                Save the devices
              </button>
              <button type="button" onClick={() => discardAndLeave(event())}>
                Discard the changes
              </button>
              <button type="button" class="btn-link" onClick={() => setLeaving(null)}>
                Stay on this step
              </button>
            </div>
          </div>
        )}
      </Show>
      <div class="button-row">
        <button type="button" class="btn-primary" disabled={saveAction.busy()} onClick={() => void save()} data-testid="setup-devices-save">
          {saveAction.busy() ? 'Saving…' : selectedCount() === 0 ? 'Continue without devices' : `Save ${selectedCount()} ${selectedCount() === 1 ? 'device' : 'devices'} and continue`}
        </button>
      </div>
    </div>
  );
}
