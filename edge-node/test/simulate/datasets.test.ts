import { describe, expect, it } from 'vitest';
import { datasetNames, loadDataset } from '../../src/simulate/datasets/catalog';
import { DatasetParseError } from '../../src/simulate/datasets/delimited-text';
import { parseFlexlabExternal } from '../../src/simulate/datasets/flexlab-external';
import { parseFlexlabRa } from '../../src/simulate/datasets/flexlab-ra';
import { parseToa5, readToa5Header } from '../../src/simulate/datasets/toa5';
import { parseUciHousehold } from '../../src/simulate/datasets/uci-household';

const iso = (ts: number) => new Date(ts).toISOString();

describe('UCI household parser', () => {
  const header = 'Date;Time;Global_active_power;Global_reactive_power;Voltage;Global_intensity;Sub_metering_1;Sub_metering_2;Sub_metering_3';

  it('reads CRLF lines in Paris winter time', () => {
    const rows = [...parseUciHousehold(`${header}\r\n21/12/2006;11:22:00;0.258;0.000;241.060;1.000;0.000;0.000;0.000\r\n`)];
    expect(rows).toHaveLength(1);
    expect(iso(rows[0]!.ts)).toBe('2006-12-21T10:22:00.000Z');
    expect(rows[0]!.values.Global_active_power).toBe(0.258);
    expect(rows[0]!.values.Voltage).toBe(241.06);
    expect(rows[0]!.values).not.toHaveProperty('Date');
  });

  it('turns ? minutes and empty cells into null', () => {
    const rows = [...parseUciHousehold(`${header}\r\n21/12/2006;11:23:00;?;?;?;?;?;?;\r\n`)];
    expect(Object.values(rows[0]!.values)).toEqual([null, null, null, null, null, null, null]);
  });

  it('drops a cut-short last line', () => {
    const text = `${header}\r\n27/12/2006;18:45:00;1.656;0.000;237.710;7.000;0.000;0.000;0.000\r\n27/12/2006;18:46:00;1.688;0.000;238.2`;
    const rows = [...parseUciHousehold(text)];
    expect(rows).toHaveLength(1);
    expect(iso(rows[0]!.ts)).toBe('2006-12-27T17:45:00.000Z');
  });

  it('keeps a complete last line without line break', () => {
    const rows = [...parseUciHousehold(`${header}\r\n27/12/2006;18:45:00;1.656;0.000;237.710;7.000;0.000;0.000;0.000`)];
    expect(rows).toHaveLength(1);
  });

  it('uses summer time in July', () => {
    const rows = [...parseUciHousehold(`${header}\n1/7/2007;12:00:00;1;0;230;4;0;0;0\n`)];
    expect(iso(rows[0]!.ts)).toBe('2007-07-01T10:00:00.000Z');
  });

  it('resolves the repeated hour in order', () => {
    const lines = ['28/10/2007;02:30:00;1;0;230;4;0;0;0', '28/10/2007;02:59:00;1;0;230;4;0;0;0', '28/10/2007;02:00:00;1;0;230;4;0;0;0'];
    const rows = [...parseUciHousehold(`${header}\n${lines.join('\n')}\n`)];
    expect(rows.map((row) => iso(row.ts))).toEqual(['2007-10-28T00:30:00.000Z', '2007-10-28T00:59:00.000Z', '2007-10-28T01:00:00.000Z']);
  });

  it('rejects an invalid date with its line number', () => {
    const text = `${header}\n31/02/2007;12:00:00;1;0;230;4;0;0;0\n`;
    expect(() => [...parseUciHousehold(text)]).toThrow(DatasetParseError);
    expect(() => [...parseUciHousehold(text)]).toThrow(/line 2: invalid timestamp "31\/02\/2007;12:00:00"/);
  });

  it('rejects a non-numeric cell', () => {
    const text = `${header}\n21/12/2006;11:22:00;0.258;abc;241.060;1.000;0.000;0.000;0.000\n`;
    expect(() => [...parseUciHousehold(text)]).toThrow(/line 2: invalid number "abc" in column Global_reactive_power/);
  });
});

describe('TOA5 parser', () => {
  const head = [
    'TOA5,MET,CR1000,46385,CR1000.Std.24,CPU:ABQ.CR1,58869,DataOut,,',
    'TIMESTAMP,RECORD,Global_Wm2_Avg,Temp_C_Avg',
    'TS,RN,W/m^2,Deg C',
    ',,Avg,Avg',
  ].join('\n');

  it('skips the 4 header lines and applies MST', () => {
    const rows = [...parseToa5(`${head}\n11/11/2015 0:00,1359988,-2.679982,3.646\n11/11/2015 12:01,1359989,512.5,10\n`)];
    expect(rows.map((row) => iso(row.ts))).toEqual(['2015-11-11T07:00:00.000Z', '2015-11-11T19:01:00.000Z']);
    expect(rows[0]!.values).toEqual({ RECORD: 1359988, Global_Wm2_Avg: -2.679982, Temp_C_Avg: 3.646 });
  });

  it('reads quoted logger stamps and NAN', () => {
    const quoted = head.replace('TIMESTAMP,RECORD', '"TIMESTAMP","RECORD"');
    const rows = [...parseToa5(`${quoted}\n"2015-11-11 00:00:00",1,"NAN",7\n`)];
    expect(iso(rows[0]!.ts)).toBe('2015-11-11T07:00:00.000Z');
    expect(rows[0]!.values.Global_Wm2_Avg).toBeNull();
  });

  it('reads the header lines', () => {
    const header = readToa5Header(head);
    expect(header.environment[1]).toBe('MET');
    expect(header.columns).toEqual(['RECORD', 'Global_Wm2_Avg', 'Temp_C_Avg']);
    expect(header.units.Global_Wm2_Avg).toBe('W/m^2');
    expect(header.processing.Temp_C_Avg).toBe('Avg');
  });

  it('rejects a file without TOA5 header', () => {
    expect(() => parseToa5('time,a\n2020-01-01 00:00:00,1\n')).toThrow(/TOA5/);
  });
});

describe('FLEXLAB parsers', () => {
  const header = 'time,oat_C,diffused_irradiance_Wm2,global_irradiance_Wm2,pv_generation_scaled_W';

  it('reads Los Angeles summer time and empty cells', () => {
    const rows = [...parseFlexlabExternal(`${header}\n2020-07-21 07:23:00,,,,\n2020-07-21 17:01:00,,,,978.5\n`)];
    expect(iso(rows[0]!.ts)).toBe('2020-07-21T14:23:00.000Z');
    expect(Object.values(rows[0]!.values)).toEqual([null, null, null, null]);
    expect(rows[1]!.values).toEqual({ oat_C: null, diffused_irradiance_Wm2: null, global_irradiance_Wm2: null, pv_generation_scaled_W: 978.5 });
  });

  it('uses the offset in RA stamps', () => {
    const rows = [...parseFlexlabRa('time,RA-ZAT,RA-HW-Load\n2020-02-13 00:00:00-08:00,21.36,\n2020-02-13 00:01:00+01:30,21.35,0.03\n')];
    expect(iso(rows[0]!.ts)).toBe('2020-02-13T08:00:00.000Z');
    expect(iso(rows[1]!.ts)).toBe('2020-02-12T22:31:00.000Z');
    expect(rows[0]!.values['RA-HW-Load']).toBeNull();
  });

  it('rejects an RA stamp without offset', () => {
    expect(() => [...parseFlexlabRa('time,RA-ZAT\n2020-02-13 00:00:00,21.36\n')]).toThrow(/line 2: invalid timestamp/);
  });
});

describe('shipped excerpts', () => {
  const expected = {
    'uci-household': { rows: 1440, first: '2006-12-20T23:00:00.000Z', last: '2006-12-21T22:59:00.000Z', emptyRows: 2 },
    'pecos-pv': { rows: 1351, first: '2015-11-11T07:00:00.000Z', last: '2015-11-12T05:30:00.000Z', emptyRows: 0 },
    'pecos-met': { rows: 1351, first: '2015-11-11T07:00:00.000Z', last: '2015-11-12T05:30:00.000Z', emptyRows: 0 },
    'flexlab-external': { rows: 1440, first: '2020-07-21T07:00:00.000Z', last: '2020-07-22T06:59:00.000Z', emptyRows: 2 },
    'flexlab-ra': { rows: 1440, first: '2020-02-13T08:00:00.000Z', last: '2020-02-14T07:59:00.000Z', emptyRows: 0 },
  } as const;

  it.each(datasetNames)('%s parses whole', (name) => {
    const dataset = loadDataset(name);
    const facts = expected[name];
    expect(dataset.rows).toHaveLength(facts.rows);
    expect(iso(dataset.rows[0]!.ts)).toBe(facts.first);
    expect(iso(dataset.rows.at(-1)!.ts)).toBe(facts.last);
    const emptyRows = dataset.rows.filter((row) => Object.values(row.values).every((value) => value === null));
    expect(emptyRows).toHaveLength(facts.emptyRows);
    const steps = dataset.rows.slice(1).map((row, i) => row.ts - dataset.rows[i]!.ts);
    expect(new Set(steps)).toEqual(new Set([60_000]));
  });

  it('UCI excerpt keeps upstream bytes', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL('../../datasets/uci-household/household_power_consumption_2006-12-21.txt', import.meta.url), 'latin1');
    expect(text.split('\r\n')).toHaveLength(1442);
    expect(text).toContain('21/12/2006;11:23:00;?;?;?;?;?;?;\r\n');
  });
});
