import { redactBrokerUrl } from '../drivers/mqtt/broker-url';
import { createSilentLogger, type Logger } from '../logger';
import { loadTemplate } from '../templates/registry';
import { loadDataset } from './datasets/catalog';
import { startModbusServer, type SimulatedUnit } from './modbus/modbus-server';
import { createSunspecUnit } from './modbus/sunspec-unit';
import { createTemplateUnit } from './modbus/template-unit';
import { startBacnetAhuSimulator } from './bacnet/flexlab-ahu';
import { startWeatherPublisher } from './mqtt/weather-publisher';
import { pecosAcPower, pecosEnergyCounter, pecosInverterModels } from './profiles/pecos-inverter';
import { uciCounterPowers, uciMeterTemplateValues, uciSunspecMeterModels } from './profiles/uci-meter';
import { keepCountersIn } from './counter-state';
import { createReplay, type DatasetReplay, type WallClock } from './replay';

/** The simulators `startSimulator` and `edge-node simulate` run. */
export const simulatorKinds = ['sunspec-inverter', 'sunspec-meter', 'sdm630', 'em24', 'mqtt-weather', 'bacnet-ahu'] as const;
export type SimulatorKind = (typeof simulatorKinds)[number];

/** Default TCP port per Modbus simulator, away from the privileged 502. */
export const defaultModbusPorts: Record<Exclude<SimulatorKind, 'mqtt-weather' | 'bacnet-ahu'>, number> = {
  'sunspec-inverter': 5020,
  'sunspec-meter': 5021,
  sdm630: 5022,
  em24: 5023,
};

/** Options of a simulator. */
export interface SimulatorOptions {
  /** Interface a Modbus simulator binds. Default 127.0.0.1. */
  host?: string;
  /**
   * TCP port of a Modbus simulator, 0 picking a free one (default from `defaultModbusPorts`), or UDP
   * port of `bacnet-ahu` (default 47809).
   */
  port?: number;
  /** Replay speed: 1 is real time, 60 a dataset minute per second. Default 1. */
  speed?: number;
  /** Dataset time after the first row at which the replay starts, in ms. Default 0. */
  startOffsetMs?: number;
  /**
   * Modbus unit id. Default 1. The inverter serves PV system 1 at this id and system 2 at the next.
   */
  unitId?: number;
  /** Broker of the MQTT weather station. Default mqtt://127.0.0.1:1883. */
  brokerUrl?: string;
  /** Site id in the MQTT topics. Default `flexlab`. */
  site?: string;
  /** Whether the weather station's messages are retained. Default false. */
  retain?: boolean;
  /**
   * JSON file that keeps the energy counters of a Modbus simulator across restarts (see
   * `keepCountersIn`). Without it, the counters start again on every start.
   */
  counterFile?: string;
  /** Wall clock of the replay, for tests. Default `Date.now`. */
  now?: WallClock;
  logger?: Logger;
}

/** A running simulator. */
export interface RunningSimulator {
  kind: SimulatorKind;
  /** `host:port` of a Modbus simulator, or the broker URL of the MQTT one. */
  endpoint: string;
  /** Unit ids a Modbus simulator responds to. */
  unitIds?: number[];
  /** Topics the MQTT simulator publishes. */
  topics?: string[];
  /** The replay behind the simulator, for tests that compare served values with the data set. */
  replay: DatasetReplay;
  /** Stops the simulator and closes its connections. Safe to call twice. */
  stop(): Promise<void>;
}

function replayOf(name: Parameters<typeof loadDataset>[0], options: SimulatorOptions, counters: Parameters<typeof createReplay>[0]['counters']) {
  const dataset = loadDataset(name);
  return createReplay({
    rows: dataset.rows,
    intervalMs: dataset.intervalMs,
    speed: options.speed ?? 1,
    startOffsetMs: options.startOffsetMs ?? 0,
    ...(options.now === undefined ? {} : { now: options.now }),
    counters,
  });
}

function modbusUnits(kind: Exclude<SimulatorKind, 'mqtt-weather' | 'bacnet-ahu'>, unitId: number, options: SimulatorOptions) {
  const units = new Map<number, SimulatedUnit>();
  if (kind === 'sunspec-inverter') {
    const replay = replayOf('pecos-pv', options, { [pecosEnergyCounter(1)]: pecosAcPower(1), [pecosEnergyCounter(2)]: pecosAcPower(2) });
    units.set(unitId, createSunspecUnit({ replay, models: pecosInverterModels(1, unitId) }));
    units.set(unitId + 1, createSunspecUnit({ replay, models: pecosInverterModels(2, unitId + 1) }));
    return { replay, units };
  }
  const replay = replayOf('uci-household', options, uciCounterPowers);
  if (kind === 'sunspec-meter') {
    units.set(unitId, createSunspecUnit({ replay, models: uciSunspecMeterModels(unitId) }));
  } else {
    const template = loadTemplate(kind === 'sdm630' ? 'eastron-sdm630' : 'carlo-gavazzi-em24');
    units.set(unitId, createTemplateUnit({ replay, template, values: uciMeterTemplateValues }));
  }
  return { replay, units };
}

/**
 * Starts a simulator that replays a shipped data set. The Modbus TCP servers are `sunspec-inverter`
 * (pecos PV systems 1 and 2, SunSpec models 1 and 103), `sunspec-meter` (UCI house, models 1 and 203),
 * and `sdm630` and `em24` (UCI house on the Eastron and Carlo Gavazzi register maps). `mqtt-weather`
 * publishes FLEXLAB weather and PV to a broker. `bacnet-ahu` is a BACnet/IP device serving the
 * FLEXLAB cell A air handler. Throws when the port is taken or the broker does not
 * accept the connection.
 */
export async function startSimulator(kind: SimulatorKind, options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const logger = options.logger ?? createSilentLogger();
  if (kind === 'mqtt-weather') {
    const brokerUrl = options.brokerUrl ?? 'mqtt://127.0.0.1:1883';
    const replay = replayOf('flexlab-external', options, {});
    const publisher = await startWeatherPublisher({
      brokerUrl,
      replay,
      logger,
      ...(options.site === undefined ? {} : { site: options.site }),
      ...(options.retain === undefined ? {} : { retain: options.retain }),
    });
    return { kind, endpoint: redactBrokerUrl(brokerUrl), topics: Object.values(publisher.topics), replay, stop: () => publisher.stop() };
  }
  if (kind === 'bacnet-ahu') {
    const { device, replay } = await startBacnetAhuSimulator({
      logger,
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.speed === undefined ? {} : { speed: options.speed }),
      ...(options.startOffsetMs === undefined ? {} : { startOffsetMs: options.startOffsetMs }),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    return { kind, endpoint: device.endpoint, replay, stop: () => device.stop() };
  }

  const unitId = options.unitId ?? 1;
  if (!Number.isInteger(unitId) || unitId < 1 || unitId > (kind === 'sunspec-inverter' ? 246 : 247)) {
    throw new RangeError(`unit id must be an integer from 1 to 247 (246 for the inverter, which also uses the next id), got ${unitId}`);
  }
  const { replay, units } = modbusUnits(kind, unitId, options);
  const server = await startModbusServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? defaultModbusPorts[kind],
    units,
    logger,
  });
  // Started after the server, so a port in use does not touch the counter file.
  const counters = options.counterFile === undefined ? undefined : keepCountersIn(options.counterFile, replay, logger);
  return {
    kind,
    endpoint: `${server.host}:${server.port}`,
    unitIds: [...units.keys()],
    replay,
    stop: async () => {
      await server.close();
      counters?.stop();
    },
  };
}
