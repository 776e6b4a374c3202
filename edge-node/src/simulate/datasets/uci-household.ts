import type { LocalDateTime } from '@simtestlab/sync';
import { type DatasetRow, type DelimitedLayout, parseDelimitedRows } from './delimited-text';
import { isValidLocalDateTime, seriesTimeToUtcMs } from '../../time/dataset-timestamps';

/** Zone of the UCI house near Paris; its timestamps are local time without an offset. */
export const UCI_TIME_ZONE = 'Europe/Paris';

/**
 * Parses `d/m/yyyy` and `hh:mm:ss` cells into a wall-clock time, or returns undefined when they do
 * not form a valid date and time.
 */
function parseDayMonthYear(dateCell: string, timeCell: string): LocalDateTime | undefined {
  const date = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(dateCell.trim());
  const time = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(timeCell.trim());
  if (!date || !time) return undefined;
  const local = {
    year: Number(date[3]),
    month: Number(date[2]),
    day: Number(date[1]),
    hour: Number(time[1]),
    minute: Number(time[2]),
    second: Number(time[3]),
  };
  return isValidLocalDateTime(local) ? local : undefined;
}

/** Layout of `household_power_consumption.txt`: `;`-separated, `Date;Time` first, `?` for missing. */
export const uciHouseholdLayout: DelimitedLayout = {
  separator: ';',
  headerLine: 0,
  firstDataLine: 1,
  timestampColumns: 2,
  missingMarkers: ['?'],
  parseTimestamp([dateCell = '', timeCell = ''], previousTs) {
    const local = parseDayMonthYear(dateCell, timeCell);
    return local && seriesTimeToUtcMs(local, UCI_TIME_ZONE, previousTs);
  },
};

/**
 * Parses the UCI "Individual household electric power consumption" file. Columns keep their
 * upstream names and units: `Global_active_power` and `Global_reactive_power` in kW (kvar),
 * `Voltage` in V, `Global_intensity` in A, `Sub_metering_1..3` in Wh during the minute.
 * A `?` minute yields a row whose values are all null.
 */
export function parseUciHousehold(text: string): Generator<DatasetRow> {
  return parseDelimitedRows(text, uciHouseholdLayout);
}
