import { createSignal, Show } from 'solid-js';
import type { components } from '../../api/generated/cloud-api';
import { useApp } from '../../app/app-context';
import { now } from '../../app/clock';
import { SecretField } from '../../components/admin/copy-button';
import { formatCountdown, formatDateTime } from '../../format/time';

export type PairingCode = components['schemas']['EdgeNodePairingCode'];

/** Renders the pairing code, which the hub returns once, with its expiry and the command the installer runs on the edge node. */
export function PairingCodeCard(props: { code: PairingCode; onDismiss: () => void }) {
  const app = useApp();
  const [dataDir, setDataDir] = createSignal('./data');
  const hubUrl = app.instance.mode === 'cloud' && app.instance.publicUrl ? app.instance.publicUrl : window.location.origin;
  const expiresAt = Date.parse(props.code.pairingCodeExpiresAt);
  // An edge that paired before keeps its old credential file, which `pair` replaces only with --force.
  const repair = props.code.edgeNode.pairedAt !== null;
  const command = () => `pnpm edge-node pair --cloud ${hubUrl} --code ${props.code.pairingCode} --data ${dataDir().trim() || './data'}${repair ? ' --force' : ''}`;

  return (
    <section class="card admin-one-time" aria-labelledby="pairing-heading" data-testid="pairing-code-card">
      <div class="card-header">
        <h2 id="pairing-heading">Pairing code for {props.code.edgeNode.name}</h2>
        <button type="button" class="btn-small" onClick={() => props.onDismiss()}>
          Dismiss
        </button>
      </div>
      <p class="alert alert-info">This code is shown only now: the hub keeps only its digest. It works once.</p>
      <SecretField label="Pairing code" value={props.code.pairingCode} testId="pairing-code" />
      <p data-testid="pairing-expiry">
        Valid until {formatDateTime(expiresAt)} (
        <Show when={expiresAt > now()} fallback="expired">
          {formatCountdown(expiresAt - now())} left
        </Show>
        ).
      </p>
      <div class="field">
        <label for="pairing-data-dir">Data folder on the edge node</label>
        <input id="pairing-data-dir" class="mono admin-inline-input" value={dataDir()} onInput={(event) => setDataDir(event.currentTarget.value)} />
        <p class="field-hint">Where the edge node keeps its database and its credential, the --data of its start command.</p>
      </div>
      <SecretField label="Command" value={command()} testId="pairing-command" hint={
          repair
            ? 'Run it in the repository folder on the edge node. --force replaces the credential of the earlier pairing.'
            : 'Run it in the repository folder on the edge node.'
        }
      />
    </section>
  );
}
