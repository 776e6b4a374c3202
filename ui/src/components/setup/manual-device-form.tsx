import { createSignal, Show } from 'solid-js';
import type { DeviceRow } from '../../pages/setup/device-rows';
import { DEFAULT_PORTS, parseManualDevice, type ManualDeviceInput } from '../../pages/setup/manual-device';
import type { DeviceProtocol, SetupTemplate } from '../../pages/setup/setup-types';
import { TemplateSelect } from './template-select';

const emptyInput = (protocol: DeviceProtocol): ManualDeviceInput => ({ protocol, name: '', host: '', port: '', unitId: '', deviceInstance: '', template: '' });

/** Shows the form that adds a device the scan did not find, such as one on another network or one without SunSpec. */
export function ManualDeviceForm(props: { templates: readonly SetupTemplate[]; nextIndex: number; onAdd(row: DeviceRow): void }) {
  const [input, setInput] = createSignal<ManualDeviceInput>(emptyInput('modbus-tcp'));
  const [problem, setProblem] = createSignal<string | null>(null);
  const update = (change: Partial<ManualDeviceInput>) => setInput({ ...input(), ...change });

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const parsed = parseManualDevice(input(), props.nextIndex);
    if (!parsed.ok) return setProblem(parsed.message);
    setProblem(null);
    props.onAdd(parsed.value);
    setInput(emptyInput(input().protocol));
  };

  return (
    <form onSubmit={submit} data-testid="setup-manual-form" novalidate>
      <Show when={problem()}>
        <div class="alert alert-error" role="alert" data-testid="setup-manual-error">
          {problem()}
        </div>
      </Show>
      <div class="inline-fields">
        <div class="field">
          <label for="setup-manual-protocol">Protocol</label>
          <select id="setup-manual-protocol" value={input().protocol} onChange={(event) => setInput(emptyInput(event.currentTarget.value as DeviceProtocol))}>
            <option value="modbus-tcp">Modbus TCP</option>
            <option value="bacnet">BACnet/IP</option>
          </select>
        </div>
        <div class="field">
          <label for="setup-manual-name">Name</label>
          <input id="setup-manual-name" value={input().name} onInput={(event) => update({ name: event.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="setup-manual-host">{input().protocol === 'bacnet' ? 'Address' : 'Host'}</label>
          <input id="setup-manual-host" placeholder="for example 192.168.1.20" value={input().host} onInput={(event) => update({ host: event.currentTarget.value })} />
        </div>
        <div class="field setup-small-field">
          <label for="setup-manual-port">Port</label>
          <input id="setup-manual-port" inputmode="numeric" placeholder={String(DEFAULT_PORTS[input().protocol])} value={input().port} onInput={(event) => update({ port: event.currentTarget.value })} />
        </div>
        <Show
          when={input().protocol === 'bacnet'}
          fallback={
            <div class="field setup-small-field">
              <label for="setup-manual-unit-id">Unit id</label>
              <input id="setup-manual-unit-id" inputmode="numeric" placeholder="1" value={input().unitId} onInput={(event) => update({ unitId: event.currentTarget.value })} />
            </div>
          }
        >
          <div class="field setup-small-field">
            <label for="setup-manual-instance">Device instance</label>
            <input id="setup-manual-instance" inputmode="numeric" value={input().deviceInstance} onInput={(event) => update({ deviceInstance: event.currentTarget.value })} />
          </div>
        </Show>
        <div class="field">
          <label for="setup-manual-template">Template</label>
          <TemplateSelect
            id="setup-manual-template"
            label="Template"
            templates={props.templates}
            protocol={input().protocol}
            suggested={[]}
            value={input().template}
            onChange={(template) => update({ template })}
          />
        </div>
        <div class="field">
          <button type="submit">Add the device</button>
        </div>
      </div>
    </form>
  );
}
