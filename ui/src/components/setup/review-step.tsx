import { createSignal, For, Show } from 'solid-js';
import type { DeviceRow } from '../../pages/setup/device-rows';
import type { SetupFailure } from '../../pages/setup/setup-errors';
import type { SetupSite, SetupTemplate } from '../../pages/setup/setup-types';
import { StepFailure } from './step-failure';
import { createStepAction } from './step-action';

/** Shows step 5: what setup will write, and the button that writes it and starts the node. */
export function ReviewStep(props: {
  adminUsername: string | null;
  site: SetupSite;
  devices: readonly DeviceRow[];
  savedCount: number;
  templates: readonly SetupTemplate[];
  finish(): Promise<unknown>;
  /** Resolves true once the node serves its site, false when it did not start in time. */
  waitForNode(): Promise<boolean>;
  onRelock(failure: SetupFailure): void;
  onFinished(): void;
}) {
  const action = createStepAction('finish', props.onRelock);
  const templateName = (id: string) => props.templates.find((template) => template.id === id)?.name ?? id;

  const [starting, setStarting] = createSignal(false);
  const [startFailed, setStartFailed] = createSignal(false);

  const finish = async () => {
    const done = await action.run(() => props.finish());
    if (done === undefined) return;
    setStarting(true);
    const running = await props.waitForNode();
    setStarting(false);
    if (running) props.onFinished();
    else setStartFailed(true);
  };

  return (
    <div data-testid="setup-review-step">
      <h2>Review and finish</h2>
      <dl class="setup-summary" data-testid="setup-summary">
        <dt>Local admin</dt>
        <dd>{props.adminUsername ?? 'created in this setup'}</dd>
        <dt>Site</dt>
        <dd>
          {props.site.siteName} <span class="muted">({props.site.siteId})</span>
        </dd>
        <dt>Time zone</dt>
        <dd>{props.site.timeZone}</dd>
        <dt>Cloud</dt>
        <dd>{props.site.mode === 'paired' ? `Paired with ${props.site.cloudUrl ?? 'the hub'}` : 'Standalone: no cloud hub'}</dd>
        <dt>Devices</dt>
        <dd>
          <Show when={props.devices.length > 0} fallback={props.savedCount === 0 ? 'None yet' : `${props.savedCount} saved`}>
            <ul class="setup-device-list">
              <For each={props.devices}>
                {(device) => (
                  <li>
                    {device.name} <span class="muted">({templateName(device.template)}, {device.host}:{device.port})</span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </dd>
      </dl>
      <p>
        Finishing writes the site file and starts the edge node with these settings on this address. The setup code then stops working, and you log in with the
        local admin.
      </p>
      <StepFailure failure={action.failure()} />
      <Show when={starting()}>
        <div class="alert alert-info" role="status" data-testid="setup-starting">
          Setup is saved. The edge node is starting with the new site; the login page opens when it is ready.
        </div>
      </Show>
      <Show when={startFailed()}>
        <div class="alert alert-error" role="alert" data-testid="setup-start-failed">
          <strong>Setup is saved, but the edge node did not serve its site within a minute.</strong> Check its log with{' '}
          <span class="mono">journalctl -u simtestlab-edge</span>, then <a href="/login">open the login page</a>.
        </div>
      </Show>
      <div class="button-row">
        <button type="button" class="btn-primary" disabled={action.busy() || starting() || startFailed()} onClick={() => void finish()} data-testid="setup-finish">
          {action.busy() || starting() ? 'Finishing…' : 'Finish setup'}
        </button>
      </div>
    </div>
  );
}
