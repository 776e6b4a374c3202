import { createSignal, Show } from 'solid-js';
import { DEFAULT_BACNET_PORT, parseBacnetPort, parseCidr, parseModbusPorts, parseUnitIds } from '../../pages/setup/scan-input';
import type { ScanRequest } from '../../pages/setup/setup-types';

type ScanField = 'cidr' | 'ports' | 'unitIds' | 'bacnetPort';

/**
 * Shows the scan settings. The network has no default, because a scan sends traffic, so the installer
 * names the segment the devices are on. `onEdit` runs on every change, so an old server error goes away.
 */
export function ScanForm(props: { busy: boolean; onScan(request: ScanRequest): void; onEdit(): void }) {
  const [cidr, setCidr] = createSignal('');
  const [ports, setPorts] = createSignal('');
  const [unitIds, setUnitIds] = createSignal('');
  const [bacnet, setBacnet] = createSignal(true);
  const [bacnetPort, setBacnetPort] = createSignal('');
  const [problem, setProblem] = createSignal<{ field: ScanField; message: string } | null>(null);
  const errorOf = (field: ScanField) => (problem()?.field === field ? problem()!.message : null);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const network = parseCidr(cidr());
    if (!network.ok) return setProblem({ field: 'cidr', message: network.message });
    const modbusPorts = parseModbusPorts(ports());
    if (!modbusPorts.ok) return setProblem({ field: 'ports', message: modbusPorts.message });
    const units = parseUnitIds(unitIds());
    if (!units.ok) return setProblem({ field: 'unitIds', message: units.message });
    const request: ScanRequest = { cidr: network.value, modbusPorts: modbusPorts.value, unitIds: units.value, bacnet: bacnet() };
    if (bacnet()) {
      const port = parseBacnetPort(bacnetPort());
      if (!port.ok) return setProblem({ field: 'bacnetPort', message: port.message });
      request.bacnetPort = port.value;
    }
    setProblem(null);
    props.onScan(request);
  };

  const field = (id: string, name: ScanField, label: string, hint: string, value: () => string, set: (text: string) => void, placeholder: string, disabled = () => false) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        value={value()}
        placeholder={placeholder}
        disabled={disabled()}
        aria-invalid={errorOf(name) ? 'true' : undefined}
        aria-describedby={errorOf(name) ? `${id}-hint ${id}-error` : `${id}-hint`}
        onInput={(event) => set(event.currentTarget.value)}
      />
      <div class="field-hint" id={`${id}-hint`}>
        {hint}
      </div>
      <Show when={errorOf(name)}>
        <div class="field-error" id={`${id}-error`} data-testid={`${id}-error`}>
          {errorOf(name)}
        </div>
      </Show>
    </div>
  );

  return (
    <form onSubmit={submit} onInput={() => props.onEdit()} class="setup-scan-form" data-testid="setup-scan-form" novalidate>
      <div class="setup-scan-fields">
        {field(
          'setup-scan-cidr',
          'cidr',
          'Network to scan',
          'The LAN segment of the devices in CIDR notation, at most 1024 addresses (/22). Ask the site\'s IT for it, or read it from the router; the node does not guess it.',
          cidr,
          setCidr,
          'for example 192.168.1.0/24',
        )}
        {field('setup-scan-ports', 'ports', 'Modbus TCP ports', 'Separated by commas; empty means 502. At most 8.', ports, setPorts, '502')}
        {field('setup-scan-unit-ids', 'unitIds', 'Modbus unit ids', 'Such as 1-3, 10; empty means 1. At most 32.', unitIds, setUnitIds, '1')}
      </div>
      <label class="setup-option">
        <input type="checkbox" checked={bacnet()} onChange={(event) => setBacnet(event.currentTarget.checked)} />
        <span>
          <strong>Look for BACnet devices</strong>
          <span class="muted"> Sends a BACnet Who-Is to the network's broadcast address on the BACnet port below.</span>
        </span>
      </label>
      <div class="setup-scan-fields">
        {field(
          'setup-scan-bacnet-port',
          'bacnetPort',
          'BACnet port',
          `The UDP port of the BACnet devices; empty means ${DEFAULT_BACNET_PORT}, the standard port.`,
          bacnetPort,
          setBacnetPort,
          String(DEFAULT_BACNET_PORT),
          () => !bacnet(),
        )}
      </div>
      <div class="button-row">
        <button type="submit" class="btn-primary" disabled={props.busy}>
          {props.busy ? 'Scanning…' : 'Scan the network'}
        </button>
      </div>
    </form>
  );
}
