"""Serve a register image with pymodbus (Debian python3-pymodbus 3.0) for the driver tests.

Usage: pymodbus_server.py CONFIG_JSON

CONFIG_JSON: {"transport": "tcp"} or {"transport": "rtu", "serial": PATH, "baudrate": N},
plus "units": {"<unit id>": {"hr": {"<address>": value}, "ir": ..., "co": ..., "di": ...}}.
Addresses are 0-based protocol addresses (zero_mode=True, so pymodbus does not add one).
Reads of an address missing from the image get exception 2, since the data blocks are sparse.
Prints "READY <port>" (TCP) or "READY" (RTU) on stdout once it serves.
"""

import asyncio
import json
import sys

from pymodbus.datastore import (
    ModbusServerContext,
    ModbusSlaveContext,
    ModbusSparseDataBlock,
)
from pymodbus.server.async_io import ModbusSerialServer, ModbusTcpServer
from pymodbus.transaction import ModbusRtuFramer, ModbusSocketFramer


def block(table):
    values = {int(address): value for address, value in (table or {}).items()}
    # An empty sparse block would accept nothing; one far address keeps it valid.
    return ModbusSparseDataBlock(values or {65535: 0})


def build_context(units):
    slaves = {
        int(unit): ModbusSlaveContext(
            hr=block(tables.get("hr")),
            ir=block(tables.get("ir")),
            co=block(tables.get("co")),
            di=block(tables.get("di")),
            zero_mode=True,
        )
        for unit, tables in units.items()
    }
    return ModbusServerContext(slaves=slaves, single=False)


async def main():
    config = json.loads(sys.argv[1])
    context = build_context(config["units"])
    if config["transport"] == "tcp":
        server = ModbusTcpServer(context, ModbusSocketFramer, address=("127.0.0.1", 0))
        task = asyncio.create_task(server.serve_forever())
        while server.server is None:
            await asyncio.sleep(0.01)
        port = server.server.sockets[0].getsockname()[1]
        print(f"READY {port}", flush=True)
        await task
    else:
        server = ModbusSerialServer(
            context,
            ModbusRtuFramer,
            port=config["serial"],
            baudrate=config.get("baudrate", 19200),
            ignore_missing_slaves=True,
        )
        await server.start()
        print("READY", flush=True)
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
