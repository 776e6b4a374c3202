import { type DatasetRow, type DelimitedLayout, parseDelimitedRows } from './delimited-text';
import { fixedOffsetTimeToUtcMs, parseIsoLocalDateTime } from '../../time/dataset-timestamps';

/** Layout of the FLEXLAB cell A file `RA_…csv`, whose timestamps carry their offset (`-08:00`). */
export const flexlabRaLayout: DelimitedLayout = {
  separator: ',',
  headerLine: 0,
  firstDataLine: 1,
  timestampColumns: 1,
  missingMarkers: [],
  parseTimestamp([cell = '']) {
    const match = /^(.+?)([+-])(\d{2}):(\d{2})$/.exec(cell.trim());
    if (!match) return undefined;
    const local = parseIsoLocalDateTime(match[1]!);
    if (!local) return undefined;
    const offsetMinutes = (match[2] === '-' ? -1 : 1) * (Number(match[3]) * 60 + Number(match[4]));
    return fixedOffsetTimeToUtcMs(local, offsetMinutes);
  },
};

/**
 * Parses the FLEXLAB cell A building-automation file: setpoints and temperatures in °C, air flows and
 * loads in units the upstream data does not state. Empty cells become null.
 */
export function parseFlexlabRa(text: string): Generator<DatasetRow> {
  return parseDelimitedRows(text, flexlabRaLayout);
}
