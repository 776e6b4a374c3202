import type { DatasetRow } from '../datasets/delimited-text';
import type { SunspecModelSource } from '../modbus/sunspec-unit';
import type { PowerOfRow } from '../energy-integral';

/** The two PV systems of the pecos Baseline6kW file, about 3 kW each. */
export type PecosSystem = 1 | 2;

/** Operating states of SunSpec model 103 `St` that the replay uses. */
const OPERATING_STATE = { sleeping: 2, mppt: 4 } as const;

/** Returns the name of the replay energy counter of a system's AC output, in Wh. */
export function pecosEnergyCounter(system: PecosSystem): string {
  return `sys${system}AcEnergyWh`;
}

/** Returns the function that reads a system's AC power in W, for the energy counter. */
export function pecosAcPower(system: PecosSystem): PowerOfRow {
  return (row) => row.values[`Sys${system}Wac_Avg`] ?? null;
}

function column(row: DatasetRow, name: string): number | null {
  return row.values[name] ?? null;
}

/** DC input current in A: the sum of the system's two string currents. */
function dcCurrentA(row: DatasetRow, system: PecosSystem): number | null {
  const string1 = column(row, `Sys${system}Str1Idc_Avg`);
  const string2 = column(row, `Sys${system}Str2Idc_Avg`);
  return string1 === null || string2 === null ? null : string1 + string2;
}

/**
 * Returns the engineering values of SunSpec model 103 for one pecos system. The logger measures a single AC
 * phase, so phase B and C points are left unimplemented. `TmpCab` carries the local ambient
 * temperature, because the data set has no inverter temperature. `PF` is the logged power factor
 * in percent, and `St` is MPPT while the inverter delivers power, otherwise sleeping.
 */
export function pecosModel103Values(row: DatasetRow, system: PecosSystem, energyWh: number): Record<string, number | null> {
  const prefix = `Sys${system}`;
  const powerW = column(row, `${prefix}Wac_Avg`);
  const powerFactor = column(row, `${prefix}PowerFactor_Avg`);
  const dcVoltageV = column(row, `${prefix}Vdc_Avg`);
  const dcCurrent = dcCurrentA(row, system);
  return {
    A: column(row, `${prefix}Iac_Avg`),
    AphA: column(row, `${prefix}Iac_Avg`),
    PhVphA: column(row, `${prefix}Vac_Avg`),
    W: powerW,
    Hz: column(row, `${prefix}Frequency_Avg`),
    VAr: column(row, `${prefix}VARac_Avg`),
    PF: powerFactor === null ? null : powerFactor * 100,
    WH: energyWh,
    DCA: dcCurrent,
    DCV: dcVoltageV,
    DCW: dcVoltageV === null || dcCurrent === null ? null : dcVoltageV * dcCurrent,
    TmpCab: column(row, 'LocalAmbientTemp_Avg'),
    St: powerW !== null && powerW > 0 ? OPERATING_STATE.mppt : OPERATING_STATE.sleeping,
    Evt1: 0,
    Evt2: 0,
  };
}

/** Returns the model chain of a simulated pecos inverter: common model 1, then model 103. */
export function pecosInverterModels(system: PecosSystem, unitId: number): SunspecModelSource[] {
  return [
    {
      id: 1,
      values: () => ({
        Mn: 'SimTestLab',
        Md: `Replay pecos PV system ${system}`,
        Opt: 'sandialabs/pecos Baseline6kW 2015-11-11',
        Vr: '0.1.0',
        SN: `PECOS-SYS${system}`,
        DA: unitId,
      }),
    },
    {
      id: 103,
      values: ({ row, energyWh }) => pecosModel103Values(row, system, energyWh(pecosEnergyCounter(system))),
    },
  ];
}
