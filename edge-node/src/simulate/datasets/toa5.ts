import type { LocalDateTime } from '@simtestlab/sync';
import {
  DatasetParseError,
  type DatasetRow,
  type DelimitedLayout,
  parseDelimitedRows,
  splitCells,
  splitLines,
} from './delimited-text';
import { fixedOffsetTimeToUtcMs, isValidLocalDateTime, parseIsoLocalDateTime } from '../../time/dataset-timestamps';

/** Offset of Mountain Standard Time, in which the pecos Albuquerque loggers write their clocks. */
export const MST_OFFSET_MINUTES = -7 * 60;

/** The four header lines of a Campbell Scientific TOA5 file. */
export interface Toa5Header {
  /** First line: format, station name, logger model, serial number, OS, program, signature, table. */
  environment: string[];
  columns: string[];
  /** Unit per column as the logger program states it; often empty. */
  units: Record<string, string>;
  /** Processing per column: `Avg`, `Max`, `Smp`, `Tot`... */
  processing: Record<string, string>;
}

const TOA5_COLUMNS_LINE = 1;
const TOA5_FIRST_DATA_LINE = 4;

/** Reads the four TOA5 header lines, without the TIMESTAMP column. Throws a DatasetParseError if they are missing. */
export function readToa5Header(text: string): Toa5Header {
  const lines = splitLines(text).slice(0, TOA5_FIRST_DATA_LINE);
  const [environment = [], names = [], units = [], processing = []] = lines.map((line) => splitCells(line, ','));
  if (lines.length < TOA5_FIRST_DATA_LINE || environment[0] !== 'TOA5') {
    throw new DatasetParseError('expected the 4 header lines of a TOA5 file', { line: 1 });
  }
  const columns = names.slice(1);
  const byColumn = (cells: string[]) => Object.fromEntries(columns.map((column, i) => [column, cells[i + 1] ?? '']));
  return {
    environment: environment.filter((cell) => cell !== ''),
    columns,
    units: byColumn(units),
    processing: byColumn(processing),
  };
}

/**
 * Parses the `M/D/YYYY H:MM[:SS]` stamps of TOA5 files saved by spreadsheet tools, or returns
 * undefined. Fractions of a second are dropped: the pecos loggers record whole minutes.
 */
function parseMonthDayYear(cell: string): LocalDateTime | undefined {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(cell);
  if (!match) return undefined;
  const local = {
    year: Number(match[3]),
    month: Number(match[1]),
    day: Number(match[2]),
    hour: Number(match[4]),
    minute: Number(match[5]),
    second: Number(match[6] ?? 0),
  };
  return isValidLocalDateTime(local) ? local : undefined;
}

/**
 * Layout of a TOA5 file whose timestamps (`YYYY-MM-DD HH:MM:SS` as loggers write them, or
 * `M/D/YYYY H:MM` as the pecos files have them) have a fixed offset from UTC.
 */
export function toa5Layout(utcOffsetMinutes: number): DelimitedLayout {
  return {
    separator: ',',
    headerLine: TOA5_COLUMNS_LINE,
    firstDataLine: TOA5_FIRST_DATA_LINE,
    timestampColumns: 1,
    missingMarkers: ['NAN', 'NaN'],
    parseTimestamp([cell = '']) {
      const local = parseIsoLocalDateTime(cell) ?? parseMonthDayYear(cell);
      return local && fixedOffsetTimeToUtcMs(local, utcOffsetMinutes);
    },
  };
}

/**
 * Parses a Campbell Scientific TOA5 file (the pecos PV and weather files). Columns keep their logger
 * names, RECORD included; `NAN` cells become null. The pecos files use MST, the default offset.
 * Throws a DatasetParseError when the TOA5 header is missing.
 */
export function parseToa5(text: string, utcOffsetMinutes = MST_OFFSET_MINUTES): Generator<DatasetRow> {
  readToa5Header(text);
  return parseDelimitedRows(text, toa5Layout(utcOffsetMinutes));
}
