/** Device bodies as a client sends them: defaults left out, points deliberately not sorted by key. */

export function modbusTcpMeter(key = 'main-meter') {
  return {
    key,
    name: 'Main meter',
    driver: 'modbus-tcp',
    connection: { host: '192.0.2.10', unitId: 3, acceptUnitIds: [0, 255] },
    pollIntervalMs: 2000,
    points: [
      { key: 'W', address: 52, dataType: 'float32', unit: 'W', wordOrder: 'CDAB' },
      { key: 'Wh', table: 'input-register', address: 72, dataType: 'uint32', unit: 'Wh', kind: 'counter' },
      { key: 'A', address: 6, dataType: 'int16', unit: 'A', scale: 0.01 },
      { key: 'status', address: 100, dataType: 'uint16', kind: 'state', sentinels: false },
    ],
  };
}

export function mqttHeatPump(key = 'heat-pump') {
  return {
    key,
    driver: 'mqtt',
    connection: { url: 'mqtt://127.0.0.1:1883', staleAfterS: 60 },
    points: [
      { key: 'flowTemp', topic: 'hp/state', path: 'flow.temp', unit: 'C' },
      { key: 'power', topic: 'hp/power', unit: 'W', min: 0, max: 12000 },
    ],
  };
}

export function bacnetAirHandler(key = 'ahu-1') {
  return {
    key,
    name: 'Air handler 1',
    driver: 'bacnet',
    enabled: false,
    connection: { deviceInstance: 1001, address: '192.0.2.20:47809', network: 5, mac: '0a' },
    points: [
      { key: 'supplyTemp', objectType: 'analog-input', instance: 1, unit: 'C', cov: true },
      { key: 'fanCmd', objectType: 'binary-output', instance: 3, dataType: 'bool', writable: true, writePriority: 10 },
      { key: 'mode', objectType: 'multi-state-value', instance: 7, kind: 'state', property: 'present-value' },
    ],
  };
}
