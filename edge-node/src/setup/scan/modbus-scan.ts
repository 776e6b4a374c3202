import { ModbusConnection } from '../../drivers/modbus/connection';
import type { Logger } from '../../logger';
import type { FoundModbusDevice } from './schemas';
import { identifyUnit } from './sunspec-identify';
import { probeTcpPort } from './tcp-probe';
import { suggestModbusTemplates } from './template-suggestions';

/** Timeouts of the Modbus part of a scan, in ms. */
export interface ModbusScanTimings {
  /** TCP connect timeout of the port probe and of the Modbus connection. */
  connectTimeoutMs: number;
  /** Timeout of each Modbus request. */
  requestTimeoutMs: number;
}

export interface ModbusPortScanOptions {
  host: string;
  port: number;
  unitIds: readonly number[];
  timings: ModbusScanTimings;
  signal?: AbortSignal;
  logger: Logger;
}

/** Address of the first "SunS" marker read, because SunSpec devices most often place the marker at 40000. */
const SUNSPEC_BASE_ADDRESS = 40_000;

/** Returns the scan key of a Modbus find. */
export function modbusDeviceKey(host: string, port: number, unitId: number): string {
  return `modbus-tcp:${host}:${port}:${unitId}`;
}

/**
 * Probes one host and port and, when it accepts a TCP connection, reads the SunSpec identity of each
 * unit id over one Modbus connection. A unit id is reported when it replied at all, an exception reply included.
 * When no unit id replied, the port is still reported with the first unit id, because an open Modbus
 * port is worth a look even if the scan could not read it. Returns [] for a closed port.
 */
export async function scanModbusPort(options: ModbusPortScanOptions): Promise<FoundModbusDevice[]> {
  const { host, port, timings, signal } = options;
  if (!(await probeTcpPort(host, port, timings.connectTimeoutMs, signal))) return [];

  const logger = options.logger.child({ host, port });
  logger.debug(`TCP port ${port} of ${host} is open; reading unit ids ${options.unitIds.join(', ')}`);
  // No reconnect delay: after a timeout drops the connection, the next unit id must not be skipped.
  const connection = new ModbusConnection(
    { transport: 'tcp', host, port },
    { logger, connectTimeoutMs: timings.connectTimeoutMs, backoff: { initialMs: 0, maxMs: 0 } },
  );
  const found: FoundModbusDevice[] = [];
  try {
    for (const unitId of options.unitIds) {
      if (signal?.aborted) break;
      const identity = await identifyUnit({
        connection,
        unitId,
        timeoutMs: timings.requestTimeoutMs,
        baseAddress: SUNSPEC_BASE_ADDRESS,
        logger: logger.child({ unitId }),
        ...(signal ? { signal } : {}),
      });
      if (identity.answered) found.push(modbusDevice(host, port, unitId, identity.sunspec));
    }
  } finally {
    await connection.close();
  }
  if (found.length === 0 && !signal?.aborted) found.push(modbusDevice(host, port, options.unitIds[0]!, null));
  for (const device of found) {
    logger.info(
      { unitId: device.unitId, sunspec: device.sunspec !== null, models: device.sunspec?.models },
      device.sunspec ? `found SunSpec device ${device.sunspec.manufacturer} ${device.sunspec.model}` : 'found Modbus TCP server without SunSpec',
    );
  }
  return found;
}

function modbusDevice(host: string, port: number, unitId: number, sunspec: FoundModbusDevice['sunspec']): FoundModbusDevice {
  return {
    key: modbusDeviceKey(host, port, unitId),
    protocol: 'modbus-tcp',
    host,
    port,
    unitId,
    sunspec,
    suggestedTemplates: suggestModbusTemplates(sunspec !== null),
  };
}
