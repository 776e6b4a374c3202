import { createSignal, For, Show } from 'solid-js';
import type { SetupDeviceRequest, SetupSite, SetupTemplate } from '../../pages/setup/setup-types';
import { StepFailure } from './step-failure';
import { createStepAction, type SetupSession } from './step-action';

/**
 * Shows step 5: what setup will write, and the button that writes it and starts the node. The devices
 * are those saved on the node, never unsaved rows of the devices step, because finish writes only those.
 */
export function ReviewStep(props: {
  adminUsername: string | null;
  site: SetupSite;
  /** The devices saved on the node, or null when this tab does not know their names. */
  savedDevices: readonly SetupDeviceRequest[] | null;
  savedCount: number;
  templates: readonly SetupTemplate[];
  finish(): Promise<unknown>;
  /** Resolves true once the node serves its site, false when it did not start in time. */
  waitForNode(): Promise<boolean>;
  session: SetupSession;
  onFinished(): void;
}) {
  const action = createStepAction('finish', props.session);
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
          <Show when={props.savedCount > 0} fallback="None: the site starts without devices">
            <Show
              when={props.savedDevices}
              fallback={`${props.savedCount} saved from another browser tab or an earlier visit; open step 4 to see or replace them`}
            >
              {(devices) => (
                <ul class="setup-device-list" data-testid="setup-saved-devices">
                  <For each={devices()}>
                    {(device) => (
                      <li>
                        {device.name}{' '}
                        <span class="muted">
                          ({templateName(device.template)}, {device.host ?? device.address}:{device.port})
                        </span>
                      </li>
                    )}
                  </For>
                </ul>
              )}
            </Show>
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
          <span class="mono">journalctl -u simtestlab-edge</span>, then <a href="/login" rel="external">open the login page</a>.
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
