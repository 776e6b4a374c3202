import { createSignal, Match, Show, Switch } from 'solid-js';
import type { SetupSite } from '../../pages/setup/setup-types';
import { browserTimeZone } from '../../pages/setup/time-zones';
import { StepFailure } from './step-failure';
import { createStepAction, type SetupSession } from './step-action';
import { TimeZoneSelect } from './time-zone-select';

type SiteMode = 'paired' | 'standalone';

/** Shows step 3: pair with a cloud hub, which sends the site, or run standalone with a site name and time zone. */
export function SiteStep(props: {
  current: SetupSite | null;
  pair(cloudUrl: string, code: string): Promise<{ siteName: string; timeZone: string }>;
  standalone(siteName: string, timeZone: string): Promise<{ siteName: string; timeZone: string }>;
  session: SetupSession;
  onDone(message: string): void;
}) {
  const [mode, setMode] = createSignal<SiteMode>(props.current?.mode ?? 'paired');
  const [cloudUrl, setCloudUrl] = createSignal(props.current?.cloudUrl ?? '');
  const [pairingCode, setPairingCode] = createSignal('');
  const [siteName, setSiteName] = createSignal(props.current?.mode === 'standalone' ? props.current.siteName : '');
  const [timeZone, setTimeZone] = createSignal(props.current?.timeZone ?? browserTimeZone());
  const pairAction = createStepAction('pair', props.session);
  const standaloneAction = createStepAction('standalone', props.session);
  const busy = () => pairAction.busy() || standaloneAction.busy();
  const clearFailures = () => {
    pairAction.clear();
    standaloneAction.clear();
  };

  const buttonText = () => {
    if (mode() === 'paired') return busy() ? 'Pairing…' : 'Pair and continue';
    return busy() ? 'Creating…' : 'Create the site and continue';
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (mode() === 'paired') {
      // NOTE: the browser test covers only the standalone path, because pairing needs a running hub.
      const paired = await pairAction.run(() => props.pair(cloudUrl().trim(), pairingCode().trim()));
      if (paired) props.onDone(`Paired with the hub: this node runs the site "${paired.siteName}" in the time zone ${paired.timeZone}.`);
      return;
    }
    const created = await standaloneAction.run(() => props.standalone(siteName().trim(), timeZone()));
    if (created) props.onDone(`The standalone site "${created.siteName}" was created with the time zone ${created.timeZone}.`);
  };

  return (
    <form onSubmit={(event) => void submit(event)} onInput={clearFailures} onChange={clearFailures} data-testid="setup-site-step" novalidate>
      <h2>Connect to the cloud or run standalone</h2>
      <Show when={props.current}>
        {(site) => (
          <div class="alert alert-info" role="status">
            This node already has the {site().mode === 'paired' ? 'paired' : 'standalone'} site "{site().siteName}" ({site().timeZone}). Sending this step again
            replaces it, or{' '}
            <button type="button" class="btn-link" onClick={() => props.onDone(`Kept the site "${site().siteName}".`)}>
              keep it and continue
            </button>
            .
          </div>
        )}
      </Show>
      <fieldset class="setup-choice">
        <legend>How will this site run?</legend>
        <label class="setup-option">
          <input type="radio" name="site-mode" value="paired" checked={mode() === 'paired'} onChange={() => setMode('paired')} />
          <span>
            <strong>Connect to a cloud hub</strong>
            <span class="muted"> The site and its users come from the hub, and remote managers see its data.</span>
          </span>
        </label>
        <label class="setup-option">
          <input type="radio" name="site-mode" value="standalone" checked={mode() === 'standalone'} onChange={() => setMode('standalone')} />
          <span>
            <strong>Run standalone</strong>
            <span class="muted"> The node works alone on this network, with local accounts only.</span>
          </span>
        </label>
      </fieldset>
      <StepFailure failure={mode() === 'paired' ? pairAction.failure() : standaloneAction.failure()} />
      <div class="setup-narrow">
        <Switch>
          <Match when={mode() === 'paired'}>
            <div class="field">
              <label for="setup-cloud-url">Cloud URL</label>
              <input id="setup-cloud-url" type="url" inputmode="url" required value={cloudUrl()} aria-describedby="setup-cloud-url-hint" onInput={(event) => setCloudUrl(event.currentTarget.value)} />
              <div class="field-hint" id="setup-cloud-url-hint">
                The address of your SimTestLab EMS hub, starting with https://, as you open it in the browser.
              </div>
            </div>
            <div class="field">
              <label for="setup-pairing-code">Pairing code</label>
              <input id="setup-pairing-code" required autocomplete="off" value={pairingCode()} aria-describedby="setup-pairing-code-hint" onInput={(event) => setPairingCode(event.currentTarget.value)} />
              <div class="field-hint" id="setup-pairing-code-hint">
                An organization admin creates it in the hub under Admin, Edge nodes. Each code works once.
              </div>
            </div>
          </Match>
          <Match when={mode() === 'standalone'}>
            <div class="field">
              <label for="setup-site-name">Site name</label>
              <input id="setup-site-name" required maxLength={200} value={siteName()} aria-describedby="setup-site-name-hint" onInput={(event) => setSiteName(event.currentTarget.value)} />
              <div class="field-hint" id="setup-site-name-hint">
                Shown on every page, such as "Plant North". The site id is made from it.
              </div>
            </div>
            <TimeZoneSelect id="setup-time-zone" value={timeZone()} onChange={setTimeZone} />
          </Match>
        </Switch>
      </div>
      <div class="button-row">
        <button type="submit" class="btn-primary" disabled={busy()}>
          {buttonText()}
        </button>
      </div>
    </form>
  );
}
