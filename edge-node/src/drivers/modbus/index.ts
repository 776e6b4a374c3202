/** The Modbus TCP/RTU driver; `createModbusDriver` is the DriverFactory for 'modbus-tcp' and 'modbus-rtu'. */
export { createModbusDriver, type ModbusDriverOptions } from './modbus-driver';
export { decodeRegisters, encodeRegisters, fromRegisterArray, registerCount, toRegisterArray } from './codec';
