import type { DatasetRow } from '../datasets/delimited-text';
import type { PowerOfRow } from '../energy-integral';
import type { SunspecModelSource, UnitValueContext } from '../modbus/sunspec-unit';
import type { TemplateValues } from '../modbus/template-unit';

/** Replay energy counters of the UCI house, in Wh or varh. */
export const uciCounters = {
  importWh: 'importWh',
  exportWh: 'exportWh',
  importVarh: 'importVarh',
  exportVarh: 'exportVarh',
} as const;

const kiloToUnit = (value: number | null | undefined) => (value === null || value === undefined ? null : value * 1000);

/** Powers to integrate for `uciCounters`: UCI logs kW and kvar. Export counters take the negated power. */
export const uciCounterPowers: Record<string, PowerOfRow> = {
  [uciCounters.importWh]: (row) => kiloToUnit(row.values.Global_active_power),
  [uciCounters.exportWh]: (row) => {
    const powerW = kiloToUnit(row.values.Global_active_power);
    return powerW === null ? null : -powerW;
  },
  [uciCounters.importVarh]: (row) => kiloToUnit(row.values.Global_reactive_power),
  [uciCounters.exportVarh]: (row) => {
    const reactiveVar = kiloToUnit(row.values.Global_reactive_power);
    return reactiveVar === null ? null : -reactiveVar;
  },
};

/** The electrical quantities of one UCI minute, in SI units; null where the source has no value. */
export interface UciElectrical {
  powerW: number | null;
  reactivePowerVar: number | null;
  apparentPowerVa: number | null;
  /** Displacement power factor P/S as a fraction; null when S is 0 or unknown. */
  powerFactor: number | null;
  phaseAngleDeg: number | null;
  voltageV: number | null;
  currentA: number | null;
}

/** Derives the electrical quantities of a UCI row. Apparent power and power factor follow from P and Q. */
export function uciElectrical(row: DatasetRow): UciElectrical {
  const powerW = kiloToUnit(row.values.Global_active_power);
  const reactivePowerVar = kiloToUnit(row.values.Global_reactive_power);
  const known = powerW !== null && reactivePowerVar !== null;
  const apparentPowerVa = known ? Math.hypot(powerW, reactivePowerVar) : null;
  return {
    powerW,
    reactivePowerVar,
    apparentPowerVa,
    powerFactor: known && apparentPowerVa! > 0 ? powerW / apparentPowerVa! : null,
    phaseAngleDeg: known ? (Math.atan2(reactivePowerVar, powerW) * 180) / Math.PI : null,
    voltageV: row.values.Voltage ?? null,
    currentA: row.values.Global_intensity ?? null,
  };
}

/**
 * Returns the engineering values of SunSpec model 203 for the UCI house, a single-phase supply wired
 * to phase A. Phase B and C points and the frequency, which UCI does not log, are left unimplemented.
 */
export function uciModel203Values({ row, energyWh }: UnitValueContext): Record<string, number | null> {
  const e = uciElectrical(row);
  const percent = e.powerFactor === null ? null : e.powerFactor * 100;
  return {
    A: e.currentA,
    AphA: e.currentA,
    PhV: e.voltageV,
    PhVphA: e.voltageV,
    W: e.powerW,
    WphA: e.powerW,
    VA: e.apparentPowerVa,
    VAphA: e.apparentPowerVa,
    VAR: e.reactivePowerVar,
    VARphA: e.reactivePowerVar,
    PF: percent,
    PFphA: percent,
    TotWhExp: energyWh(uciCounters.exportWh),
    TotWhExpPhA: energyWh(uciCounters.exportWh),
    TotWhImp: energyWh(uciCounters.importWh),
    TotWhImpPhA: energyWh(uciCounters.importWh),
    TotVArhImpQ1: energyWh(uciCounters.importVarh),
    TotVArhImpQ1PhA: energyWh(uciCounters.importVarh),
    Evt: 0,
  };
}

/** Returns the model chain of the simulated SunSpec meter: common model 1, then model 203. */
export function uciSunspecMeterModels(unitId: number): SunspecModelSource[] {
  return [
    {
      id: 1,
      values: () => ({
        Mn: 'SimTestLab',
        Md: 'Replay UCI household meter',
        Opt: 'UCI household power 2006-12-21',
        Vr: '0.1.0',
        SN: 'UCI-HOUSE-1',
        DA: unitId,
      }),
    },
    { id: 203, values: uciModel203Values },
  ];
}

/**
 * Returns the values of the point keys that the meter templates (Eastron SDM630, Carlo Gavazzi EM24)
 * share, for the UCI house wired to L1. Phases 2 and 3 read 0, as on a meter with those inputs
 * unwired. Frequency and demand are not logged by UCI, so they have no value. Energies are in kWh
 * and kvarh.
 */
export function uciMeterTemplateValues({ row, energyWh }: UnitValueContext): TemplateValues {
  const e = uciElectrical(row);
  const importKwh = energyWh(uciCounters.importWh) / 1000;
  const exportKwh = energyWh(uciCounters.exportWh) / 1000;
  const importKvarh = energyWh(uciCounters.importVarh) / 1000;
  const exportKvarh = energyWh(uciCounters.exportVarh) / 1000;
  const values: TemplateValues = {
    l1_voltage: e.voltageV,
    l1_current: e.currentA,
    l1_power: e.powerW,
    l1_apparent_power: e.apparentPowerVa,
    l1_reactive_power: e.reactivePowerVar,
    l1_power_factor: e.powerFactor,
    l1_phase_angle: e.phaseAngleDeg,
    average_voltage_ln: e.voltageV,
    system_voltage_ln: e.voltageV,
    average_current: e.currentA,
    sum_current: e.currentA,
    neutral_current: e.currentA,
    total_power: e.powerW,
    total_apparent_power: e.apparentPowerVa,
    total_reactive_power: e.reactivePowerVar,
    total_power_factor: e.powerFactor,
    total_phase_angle: e.phaseAngleDeg,
    import_energy: importKwh,
    export_energy: exportKwh,
    total_energy: importKwh + exportKwh,
    import_reactive_energy: importKvarh,
    export_reactive_energy: exportKvarh,
    total_reactive_energy: importKvarh + exportKvarh,
    l1_import_energy: importKwh,
    l1_export_energy: exportKwh,
    l1_total_energy: importKwh + exportKwh,
    phase_sequence: 0,
    demand_period: 60,
    system_type: 1,
  };
  for (const phase of ['l2', 'l3']) {
    for (const quantity of ['voltage', 'current', 'power', 'apparent_power', 'reactive_power', 'power_factor', 'phase_angle']) {
      values[`${phase}_${quantity}`] = 0;
    }
    values[`${phase}_import_energy`] = 0;
    values[`${phase}_export_energy`] = 0;
    values[`${phase}_total_energy`] = 0;
  }
  return values;
}
