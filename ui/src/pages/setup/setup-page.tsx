import { createEffect, createMemo, createSignal, Match, on, Show, Switch } from 'solid-js';
import { AdminStep } from '../../components/setup/admin-step';
import { CodeStep } from '../../components/setup/code-step';
import { DevicesStep } from '../../components/setup/devices-step';
import { ReviewStep } from '../../components/setup/review-step';
import { SiteStep } from '../../components/setup/site-step';
import { StepList } from '../../components/setup/step-list';
import '../account/account.css';
import { loginNoticeState } from '../account/login-notice';
import type { DeviceRow } from './device-rows';
import { createSetupApi } from './setup-api';
import { SetupCompletePage } from './setup-complete-page';
import { describeSetupFailure, type SetupFailure } from './setup-errors';
import { SetupFrame } from './setup-frame';
import { setupTokenStorage } from './setup-token';
import type { SetupStatus, SetupTemplate } from './setup-types';
import { waitForRunningNode } from './wait-for-node';
import { nextStep, progressOf, resumeStep, SETUP_STEPS, STEP_LABELS, type SetupStep } from './wizard-steps';

/**
 * Opens the login page with a notice. The whole app reloads, because the node has left setup mode and
 * `GET /api/instance` now returns the site. The notice survives the reload in the history entry's state.
 */
function reloadToLogin(notice: string): void {
  history.replaceState(loginNoticeState(notice), '', '/login');
  location.reload();
}

/** `/setup` in setup mode: the first-boot wizard, one step at a time, with the result of each step. */
export function SetupPage() {
  const [token, setToken] = createSignal(setupTokenStorage.load());
  const api = createSetupApi(token);
  const [status, setStatus] = createSignal<SetupStatus | null>(null);
  const [loadFailure, setLoadFailure] = createSignal<SetupFailure | null>(null);
  const [templates, setTemplates] = createSignal<SetupTemplate[]>([]);
  const [templatesFailed, setTemplatesFailed] = createSignal(false);
  const [chosenStep, setChosenStep] = createSignal<SetupStep | null>(null);
  const [notice, setNotice] = createSignal<string | null>(null);
  const [relockReason, setRelockReason] = createSignal<SetupFailure | null>(null);
  const [adminUsername, setAdminUsername] = createSignal<string | null>(null);
  const [rows, setRows] = createSignal<DeviceRow[]>([]);
  let region: HTMLElement | undefined;

  /** Reloads the progress; a failure keeps the last progress on the page and shows why. */
  const refetch = async () => {
    try {
      setStatus(await api.status());
      setLoadFailure(null);
    } catch (error) {
      setLoadFailure(describeSetupFailure(error, 'load'));
    }
  };
  void refetch();

  // The templates need the setup token, so they load once the code was entered.
  createEffect(
    on(token, async (current) => {
      if (current === null) return;
      try {
        setTemplates(await api.templates());
        setTemplatesFailed(false);
      } catch (error) {
        const failure = describeSetupFailure(error, 'load');
        if (failure.relock) relock(failure);
        else setTemplatesFailed(true);
      }
    }),
  );

  const progress = () => {
    const current = status();
    return current === null ? null : progressOf(current, token() !== null);
  };
  // A memo, so the focus below moves only when the step changes, not on every reload of the progress.
  const step = createMemo((): SetupStep => chosenStep() ?? (progress() ? resumeStep(progress()!) : 'code'));

  // Keyboard and screen reader users land on the new step instead of the button they pressed.
  createEffect(on(step, () => region?.focus({ preventScroll: true }), { defer: true }));

  /** Shows the result of a step, reloads the progress and opens `to`. */
  const advance = async (message: string, to: SetupStep | null) => {
    setNotice(message);
    await refetch();
    setChosenStep(to);
  };

  const relock = (failure: SetupFailure) => {
    setupTokenStorage.clear();
    setToken(null);
    setNotice(null);
    setRelockReason(failure);
    setChosenStep(null);
  };

  const unlock = async (code: string) => {
    const unlocked = await api.unlock(code);
    setupTokenStorage.save(unlocked.token, unlocked.expiresAt);
    setToken(unlocked.token);
    return unlocked;
  };

  const open = (next: SetupStep) => {
    setNotice(null);
    setChosenStep(next);
  };

  return (
    <Show when={status()?.state !== 'complete'} fallback={<SetupCompletePage />}>
      <SetupFrame>
        <div class="card setup-card" data-testid="setup-page">
          <h1>Set up this edge node</h1>
          <p class="page-subtitle">Five steps: the setup code, a local admin, the cloud or a standalone site, the devices, and a last review.</p>
          <Show when={loadFailure()}>
            <div class="alert alert-error" role="alert">
              <strong>{loadFailure()!.message}</strong> Check that the edge node is running, then{' '}
              <button type="button" class="btn-link" onClick={() => void refetch()}>
                try again
              </button>
              .
            </div>
          </Show>
          <Show when={progress()}>
            {(current) => (
              <>
                <StepList current={step()} progress={current()} onOpen={open} />
                <Show when={notice()}>
                  <div class="alert alert-success" role="status" data-testid="setup-notice">
                    {notice()}
                  </div>
                </Show>
                <section class="setup-step-body" ref={region} tabindex="-1" aria-label={`Step ${SETUP_STEPS.indexOf(step()) + 1} of ${SETUP_STEPS.length}: ${STEP_LABELS[step()]}`}>
                  <Switch>
                    <Match when={step() === 'code'}>
                      <CodeStep
                        unlock={unlock}
                        relockReason={relockReason()}
                        onUnlocked={() => {
                          setRelockReason(null);
                          void advance('Setup code accepted. This browser tab may change the setup for the next hour.', null);
                        }}
                      />
                    </Match>
                    <Match when={step() === 'admin'}>
                      <AdminStep
                        exists={current().admin}
                        createAdmin={api.createAdmin}
                        onRelock={relock}
                        onDone={(username) => {
                          if (username !== null) setAdminUsername(username);
                          void advance(username === null ? 'Kept the admin account of this setup.' : `The local admin "${username}" was created.`, nextStep('admin'));
                        }}
                      />
                    </Match>
                    <Match when={step() === 'site'}>
                      <SiteStep current={status()!.steps.site} pair={api.pair} standalone={api.standalone} onRelock={relock} onDone={(message) => void advance(message, nextStep('site'))} />
                    </Match>
                    <Match when={step() === 'devices'}>
                      <DevicesStep
                        api={api}
                        templates={templates()}
                        templatesFailed={templatesFailed()}
                        rows={rows()}
                        savedCount={current().devices}
                        onRowsChange={setRows}
                        onRelock={relock}
                        onDone={(message) => void advance(message, nextStep('devices'))}
                      />
                    </Match>
                    <Match when={step() === 'review' && status()!.steps.site}>
                      {(site) => (
                        <ReviewStep
                          adminUsername={adminUsername()}
                          site={site()}
                          devices={rows().filter((row) => row.selected)}
                          savedCount={current().devices}
                          templates={templates()}
                          finish={api.finish}
                          waitForNode={() => waitForRunningNode(api.nodeRunning)}
                          onRelock={relock}
                          onFinished={() => {
                            setupTokenStorage.clear();
                            reloadToLogin(`Setup is complete. Log in with the local admin${adminUsername() ? ` "${adminUsername()}"` : ''}.`);
                          }}
                        />
                      )}
                    </Match>
                  </Switch>
                </section>
              </>
            )}
          </Show>
        </div>
      </SetupFrame>
    </Show>
  );
}
