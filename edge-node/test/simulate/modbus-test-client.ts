import ModbusRTU from 'modbus-serial';

/** Connects a modbus-serial client with a short request timeout, so a silent unit fails fast. */
export async function connectModbusClient(port: number, unitId: number, timeoutMs = 400): Promise<ModbusRTU> {
  const client = new ModbusRTU();
  await client.connectTCP('127.0.0.1', { port });
  client.setID(unitId);
  client.setTimeout(timeoutMs);
  return client;
}

/** Closes a test client and waits for the socket to close. */
export async function closeModbusClient(client: ModbusRTU): Promise<void> {
  if (!client.isOpen) return;
  await new Promise<void>((resolve) => client.close(() => resolve()));
}

/** Returns the Modbus exception code or error name of a failed request, for asserting on it. */
export async function requestFailure(request: Promise<unknown>): Promise<string | number> {
  try {
    await request;
  } catch (error) {
    const failure = error as { modbusCode?: number; name?: string };
    return failure.modbusCode ?? failure.name ?? String(error);
  }
  throw new Error('expected the request to fail, but it succeeded');
}
