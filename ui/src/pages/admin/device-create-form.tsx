import { deviceSchema, driverNames, type DriverName } from '@simtestlab/sync';
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { unwrap } from '../../api/http';
import type { components } from '../../api/generated/cloud-api';
import { useCloud } from '../../app/app-context';
import { createActionStatus, StatusMessage } from '../../components/admin/action-status';
import { optionLabel, type TreeNode } from '../../components/admin/site-tree';

type DeviceRecord = components['schemas']['DeviceRecord'];

const driverLabels: Record<DriverName, string> = {
  'modbus-tcp': 'Modbus TCP',
  'modbus-rtu': 'Modbus RTU (serial)',
  mqtt: 'MQTT',
  bacnet: 'BACnet/IP',
};

export function driverLabel(driver: DriverName): string {
  return driverLabels[driver];
}

/** Turns a field's text into a number, or undefined for an empty field so the schema default applies. */
function optionalNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

/**
 * Renders a form for a new device with its connection and no points yet. Points come from SunSpec
 * discovery or are added to the device definition later. The shared device schema checks the input
 * and fills in the defaults before the request, so mistakes show at once in the hub's own words.
 */
export function DeviceCreateForm(props: { siteId: string; nodes: TreeNode[]; onCreated: (record: DeviceRecord) => void }) {
  const cloud = useCloud();
  const status = createActionStatus();
  const [driver, setDriver] = createSignal<DriverName>('modbus-tcp');
  const [key, setKey] = createSignal('');
  const [name, setName] = createSignal('');
  const [nodeId, setNodeId] = createSignal('');
  const [pollIntervalMs, setPollIntervalMs] = createSignal('5000');
  const [host, setHost] = createSignal('');
  const [port, setPort] = createSignal('502');
  const [serialPath, setSerialPath] = createSignal('');
  const [baudRate, setBaudRate] = createSignal('9600');
  const [unitId, setUnitId] = createSignal('1');
  const [sunspec, setSunspec] = createSignal(false);
  const [brokerUrl, setBrokerUrl] = createSignal('');
  const [deviceInstance, setDeviceInstance] = createSignal('');
  const [bacnetAddress, setBacnetAddress] = createSignal('');

  const connection = (): Record<string, unknown> => {
    switch (driver()) {
      case 'modbus-tcp':
        return { host: host().trim(), port: optionalNumber(port()), unitId: optionalNumber(unitId()) };
      case 'modbus-rtu':
        return { path: serialPath().trim(), baudRate: optionalNumber(baudRate()), unitId: optionalNumber(unitId()) };
      case 'mqtt':
        return brokerUrl().trim() === '' ? {} : { url: brokerUrl().trim() };
      case 'bacnet':
        return { deviceInstance: optionalNumber(deviceInstance()), ...(bacnetAddress().trim() ? { address: bacnetAddress().trim() } : {}) };
    }
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const isModbus = driver() === 'modbus-tcp' || driver() === 'modbus-rtu';
    const parsed = deviceSchema.safeParse({
      key: key().trim(),
      ...(name().trim() ? { name: name().trim() } : {}),
      driver: driver(),
      pollIntervalMs: optionalNumber(pollIntervalMs()),
      connection: connection(),
      ...(isModbus && sunspec() ? { sunspec: {} } : {}),
      points: [],
    });
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'device'}: ${issue.message}`).join('; ');
      status.fail(`The device is invalid. ${issues}`);
      return;
    }
    const created = await status.run(
      () =>
        unwrap(
          cloud.POST('/api/sites/{siteId}/devices', {
            params: { path: { siteId: props.siteId } },
            // The shared schema is the one the hub's document is generated from, so its output is a valid body.
            body: { nodeId: nodeId() || null, device: parsed.data as components['schemas']['Device'] },
          }),
        ),
      (record) => `Device ${record.device.key} created.`,
    );
    if (created) {
      setKey('');
      setName('');
      props.onCreated(created);
    }
  };

  return (
    <>
      <StatusMessage status={status} testId="create-device-status" />
      <form onSubmit={(event) => void submit(event)} data-testid="create-device-form">
        <div class="inline-fields">
          <div class="field">
            <label for="device-key">Key</label>
            <input id="device-key" required value={key()} onInput={(event) => setKey(event.currentTarget.value)} aria-describedby="device-key-hint" />
          </div>
          <div class="field">
            <label for="device-name">Name</label>
            <input id="device-name" maxLength={200} value={name()} onInput={(event) => setName(event.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="device-driver">Driver</label>
            <select id="device-driver" onChange={(event) => setDriver(event.currentTarget.value as DriverName)}>
              <For each={driverNames}>
                {(option) => (
                  <option value={option} selected={option === driver()}>
                    {driverLabel(option)}
                  </option>
                )}
              </For>
            </select>
          </div>
          <div class="field">
            <label for="device-node">Placed in</label>
            <select id="device-node" onChange={(event) => setNodeId(event.currentTarget.value)}>
              <option value="">The site (no building, area or system)</option>
              <For each={props.nodes}>{(entry) => <option value={entry.node.id}>{optionLabel(entry)}</option>}</For>
            </select>
          </div>
          <div class="field">
            <label for="device-poll">Poll interval (ms)</label>
            <input id="device-poll" type="number" min="100" step="100" value={pollIntervalMs()} onInput={(event) => setPollIntervalMs(event.currentTarget.value)} />
          </div>
        </div>
        <p class="field-hint" id="device-key-hint">
          The key names the device in point ids (device.point): lowercase letters, digits, "_" or "-", and it cannot change later.
        </p>
        <div class="inline-fields">
          <Switch>
            <Match when={driver() === 'modbus-tcp'}>
              <div class="field">
                <label for="device-host">Host</label>
                <input id="device-host" required value={host()} onInput={(event) => setHost(event.currentTarget.value)} />
              </div>
              <div class="field">
                <label for="device-port">Port</label>
                <input id="device-port" type="number" min="1" max="65535" value={port()} onInput={(event) => setPort(event.currentTarget.value)} />
              </div>
            </Match>
            <Match when={driver() === 'modbus-rtu'}>
              <div class="field">
                <label for="device-serial">Serial port</label>
                <input id="device-serial" required placeholder="/dev/ttyUSB0" value={serialPath()} onInput={(event) => setSerialPath(event.currentTarget.value)} />
              </div>
              <div class="field">
                <label for="device-baud">Baud rate</label>
                <input id="device-baud" type="number" min="1" value={baudRate()} onInput={(event) => setBaudRate(event.currentTarget.value)} />
              </div>
            </Match>
            <Match when={driver() === 'mqtt'}>
              <div class="field">
                <label for="device-broker">Broker URL</label>
                <input id="device-broker" placeholder="the site's broker" value={brokerUrl()} onInput={(event) => setBrokerUrl(event.currentTarget.value)} />
              </div>
            </Match>
            <Match when={driver() === 'bacnet'}>
              <div class="field">
                <label for="device-instance">Device instance</label>
                <input id="device-instance" type="number" min="0" required value={deviceInstance()} onInput={(event) => setDeviceInstance(event.currentTarget.value)} />
              </div>
              <div class="field">
                <label for="device-address">Address (host or host:port)</label>
                <input id="device-address" placeholder="found by Who-Is" value={bacnetAddress()} onInput={(event) => setBacnetAddress(event.currentTarget.value)} />
              </div>
            </Match>
          </Switch>
          <Show when={driver() === 'modbus-tcp' || driver() === 'modbus-rtu'}>
            <div class="field">
              <label for="device-unit">Unit id</label>
              <input id="device-unit" type="number" min="0" max="255" value={unitId()} onInput={(event) => setUnitId(event.currentTarget.value)} />
            </div>
            <div class="field">
              <label>
                <input type="checkbox" checked={sunspec()} onChange={(event) => setSunspec(event.currentTarget.checked)} /> Discover SunSpec models
              </label>
            </div>
          </Show>
          <button type="submit" class="btn-primary" disabled={status.pending()}>
            Create device
          </button>
        </div>
      </form>
    </>
  );
}
