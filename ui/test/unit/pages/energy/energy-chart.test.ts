import { describe, expect, it } from 'vitest';
import { flowChartSeries } from '../../../../src/components/energy/energy-chart';
import { hourlyBuckets, MARCH_2_START } from './energy-fixture';

describe('flowChartSeries', () => {
  it('draws measured flows in kWh with consumption as a line', () => {
    const buckets = hourlyBuckets(MARCH_2_START, 2).map((bucket) => ({ ...bucket, gridExportWh: 250 }));
    const series = flowChartSeries({ buckets, missingFlows: ['batteryCharge', 'batteryDischarge', 'ev'] });

    expect(series.map((entry) => entry.label)).toEqual(['Grid import', 'PV production', 'Grid export', 'Consumption']);
    expect(series[0]!.values).toEqual([1, 1]);
    expect(series[3]!.line).toBe(true);
    expect(series[3]!.values).toEqual([1.5, 1.5]);
  });

  it('draws export below the axis', () => {
    const buckets = hourlyBuckets(MARCH_2_START, 1).map((bucket) => ({ ...bucket, gridExportWh: 250 }));
    const gridExport = flowChartSeries({ buckets, missingFlows: [] }).find((entry) => entry.label === 'Grid export');

    expect(gridExport?.values).toEqual([-0.25]);
  });

  it('leaves out flows no meter measures', () => {
    const series = flowChartSeries({ buckets: hourlyBuckets(MARCH_2_START, 1), missingFlows: ['pv', 'consumption', 'batteryCharge', 'batteryDischarge', 'gridExport', 'ev'] });

    expect(series.map((entry) => entry.label)).toEqual(['Grid import']);
  });
});
