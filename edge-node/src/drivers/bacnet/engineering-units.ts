import { EngineeringUnits } from '@bacnet-js/client';
import type { Unit } from '@simtestlab/sync';

/** BACnet engineering units that have a symbol in the shared unit list. */
const unitSymbols = new Map<number, Unit>([
  [EngineeringUnits.NO_UNITS, ''],
  [EngineeringUnits.WATTS, 'W'],
  [EngineeringUnits.KILOWATTS, 'kW'],
  [EngineeringUnits.MEGAWATTS, 'MW'],
  [EngineeringUnits.WATT_HOURS, 'Wh'],
  [EngineeringUnits.KILOWATT_HOURS, 'kWh'],
  [EngineeringUnits.MEGAWATT_HOURS, 'MWh'],
  [EngineeringUnits.VOLT_AMPERES, 'VA'],
  [EngineeringUnits.KILOVOLT_AMPERES, 'kVA'],
  [EngineeringUnits.VOLT_AMPERES_REACTIVE, 'var'],
  [EngineeringUnits.KILOVOLT_AMPERES_REACTIVE, 'kvar'],
  [EngineeringUnits.VOLT_AMPERE_HOURS, 'VAh'],
  [EngineeringUnits.WATT_HOURS_REACTIVE, 'varh'],
  [EngineeringUnits.KILOWATT_HOURS_REACTIVE, 'kvarh'],
  [EngineeringUnits.VOLTS, 'V'],
  [EngineeringUnits.AMPERES, 'A'],
  [EngineeringUnits.HERTZ, 'Hz'],
  [EngineeringUnits.PERCENT, 'Pct'],
  [EngineeringUnits.POWER_FACTOR, 'PF'],
  [EngineeringUnits.DEGREES_CELSIUS, 'C'],
  [EngineeringUnits.DEGREES_FAHRENHEIT, 'F'],
  [EngineeringUnits.DEGREES_KELVIN, 'K'],
  [EngineeringUnits.WATTS_PER_SQUARE_METER, 'W/m2'],
  [EngineeringUnits.METERS_PER_SECOND, 'm/s'],
  [EngineeringUnits.PASCALS, 'Pa'],
  [EngineeringUnits.KILOPASCALS, 'kPa'],
  [EngineeringUnits.BARS, 'bar'],
  [EngineeringUnits.CUBIC_METERS_PER_HOUR, 'm3/h'],
  [EngineeringUnits.LITERS_PER_SECOND, 'l/s'],
  [EngineeringUnits.CUBIC_FEET_PER_MINUTE, 'cfm'],
  [EngineeringUnits.PARTS_PER_MILLION, 'ppm'],
  [EngineeringUnits.OHMS, 'Ohm'],
  [EngineeringUnits.SECONDS, 's'],
  [EngineeringUnits.HOURS, 'h'],
  [EngineeringUnits.DEGREES_ANGULAR, 'deg'],
]);

const engineeringUnitsBySymbol = new Map<Unit, number>([...unitSymbols].map(([code, symbol]) => [symbol, code]));

/** Returns the unit symbol of a BACnet engineering units code, or undefined when the list has none. */
export function unitOfEngineeringUnits(code: number): Unit | undefined {
  return unitSymbols.get(code);
}

/** Returns the BACnet engineering units code of a unit symbol, or undefined when BACnet has none here. */
export function engineeringUnitsOf(unit: Unit): number | undefined {
  return engineeringUnitsBySymbol.get(unit);
}
