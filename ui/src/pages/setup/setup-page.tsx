import { useNavigate, useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createSignal, Match, on, Show, Switch, untrack } from 'solid-js';
import { AdminStep } from '../../components/setup/admin-step';
import { CodeStep } from '../../components/setup/code-step';
import { DevicesStep } from '../../components/setup/devices-step';
import { ReviewStep } from '../../components/setup/review-step';
import { SiteStep } from '../../components/setup/site-step';
import type { SetupSession } from '../../components/setup/step-action';
import { StepList } from '../../components/setup/step-list';
import '../account/account.css';
import { loginNoticeState } from '../account/login-notice';
import type { DeviceRow } from './device-rows';
import { hasUnsavedChanges, knownSavedDevices, rowsFromSaved } from './saved-devices';
import { createSetupApi } from './setup-api';
import { SetupCompletePage } from './setup-complete-page';
import { describeSetupFailure, type SetupFailure } from './setup-errors';
import { SetupFrame } from './setup-frame';
import { makeSetupStorage } from './setup-storage';
import type { SetupStatus, SetupTemplate } from './setup-types';
import { waitForRunningNode } from './wait-for-node';
import { nextStep, parseStep, progressOf, SETUP_STEPS, STEP_LABELS, stepToShow, type SetupStep } from './wizard-steps';

/**
 * Opens the login page with a notice. The whole app reloads, because the node has left setup mode and
 * `GET /api/instance` now returns the site. The notice survives the reload in the history entry's state.
 */
function reloadToLogin(notice: string): void {
  history.replaceState(loginNoticeState(notice), '', '/login');
  location.reload();
}

/**
 * `/setup` in setup mode: the first-boot wizard, one step at a time, with the result of each step.
 * The shown step is in the address (`/setup?step=site`), and each step the installer opens is a new
 * history entry, so the browser's Back button returns to the step before.
 */
export function SetupPage() {
  const storage = makeSetupStorage(sessionStorage);
  const [token, setToken] = createSignal(storage.loadToken());
  const api = createSetupApi(token);
  const [params] = useSearchParams<{ step?: string }>();
  const navigate = useNavigate();
  const [status, setStatus] = createSignal<SetupStatus | null>(null);
  const [loadFailure, setLoadFailure] = createSignal<SetupFailure | null>(null);
  const [templates, setTemplates] = createSignal<SetupTemplate[]>([]);
  const [templatesFailed, setTemplatesFailed] = createSignal(false);
  const [notice, setNotice] = createSignal<string | null>(null);
  const [relockReason, setRelockReason] = createSignal<SetupFailure | null>(null);
  const [adminUsername, setAdminUsername] = createSignal(storage.loadAdmin());
  const [lastSavedDevices, setLastSavedDevices] = createSignal(storage.loadDevices());
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

  const relock = (failure: SetupFailure) => {
    storage.clearToken();
    setToken(null);
    setNotice(null);
    setRelockReason(failure);
  };

  const session: SetupSession = {
    relock,
    recheck: async () => {
      await refetch();
      return status()?.state === 'complete';
    },
  };

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

  // Another tab may finish setup; this tab's token and names are then of no use.
  createEffect(() => {
    if (status()?.state === 'complete') storage.clear();
  });

  // The devices saved on the node, by name when this tab saved them and the node's count agrees.
  const savedDevices = createMemo(() => {
    const current = status();
    return current === null ? null : knownSavedDevices(lastSavedDevices(), current.steps.devices);
  });
  const unsavedDevices = createMemo(() => hasUnsavedChanges(rows(), savedDevices()));

  // After a reload the table starts with the saved devices, so it matches what the node has.
  createEffect(
    on(savedDevices, (saved) => {
      if (saved !== null && untrack(rows).length === 0) setRows(rowsFromSaved(saved));
    }),
  );

  /** The admin's name, when this tab created the admin the node reports. */
  const adminName = () => (status()?.steps.admin ? adminUsername() : null);

  const progress = () => {
    const current = status();
    return current === null ? null : progressOf(current, token() !== null);
  };
  // A memo, so the focus below moves only when the step changes, not on every reload of the progress.
  const step = createMemo((): SetupStep => {
    const current = progress();
    return current === null ? 'code' : stepToShow(parseStep(params.step), current);
  });

  // Keyboard and screen reader users land on the new step instead of the button they pressed.
  createEffect(on(step, () => region?.focus({ preventScroll: true }), { defer: true }));

  const stepAddress = (to: SetupStep) => `/setup?step=${to}`;

  /** Shows the result of a step, reloads the progress and opens `to` as a new history entry. */
  const advance = async (message: string, to: SetupStep) => {
    setNotice(message);
    await refetch();
    navigate(stepAddress(to));
  };

  const unlock = async (code: string) => {
    const unlocked = await api.unlock(code);
    storage.saveToken(unlocked.token, unlocked.expiresAt);
    setToken(unlocked.token);
    return unlocked;
  };

  const unlocked = async () => {
    setRelockReason(null);
    setNotice('Setup code accepted. This browser tab may change the setup for the next hour.');
    await refetch();
    // The step the address names, or the first open one, replaces the code step in the history.
    const current = progress();
    if (current !== null) navigate(stepAddress(stepToShow(parseStep(params.step), current)), { replace: true });
  };

  const open = (next: SetupStep) => {
    setNotice(null);
    navigate(stepAddress(next));
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
                      <CodeStep unlock={unlock} relockReason={relockReason()} session={session} onUnlocked={() => void unlocked()} />
                    </Match>
                    <Match when={step() === 'admin'}>
                      <AdminStep
                        exists={current().admin}
                        createAdmin={api.createAdmin}
                        session={session}
                        onDone={(username) => {
                          if (username !== null) {
                            storage.saveAdmin(username);
                            setAdminUsername(username);
                          }
                          void advance(username === null ? 'Kept the admin account of this setup.' : `The local admin "${username}" was created.`, nextStep('admin'));
                        }}
                      />
                    </Match>
                    <Match when={step() === 'site'}>
                      <SiteStep current={status()!.steps.site} pair={api.pair} standalone={api.standalone} session={session} onDone={(message) => void advance(message, nextStep('site'))} />
                    </Match>
                    <Match when={step() === 'devices'}>
                      <DevicesStep
                        api={api}
                        templates={templates()}
                        templatesFailed={templatesFailed()}
                        rows={rows()}
                        savedCount={current().devices}
                        savedDevices={savedDevices()}
                        unsaved={unsavedDevices()}
                        session={session}
                        onRowsChange={setRows}
                        onSaved={(devices, count) => {
                          storage.saveDevices(devices);
                          setLastSavedDevices(devices);
                          // The node's count is known now; the status catches up without a window where the names look stale.
                          setStatus((old) => (old === null ? old : { ...old, steps: { ...old.steps, devices: count } }));
                        }}
                        onDone={(message) => void advance(message, nextStep('devices'))}
                      />
                    </Match>
                    <Match when={step() === 'review' && status()!.steps.site}>
                      {(site) => (
                        <ReviewStep
                          adminUsername={adminName()}
                          site={site()}
                          savedDevices={savedDevices()}
                          savedCount={current().devices}
                          templates={templates()}
                          finish={api.finish}
                          waitForNode={() => waitForRunningNode(api.nodeRunning)}
                          session={session}
                          onFinished={() => {
                            const admin = adminName();
                            storage.clear();
                            reloadToLogin(`Setup is complete. Log in with the local admin${admin ? ` "${admin}"` : ''}.`);
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
