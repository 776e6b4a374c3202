import { type DatasetRow, type DelimitedLayout, parseDelimitedRows } from './delimited-text';
import { parseIsoLocalDateTime, seriesTimeToUtcMs } from '../../time/dataset-timestamps';

/** Zone of the LBNL FLEXLAB facility; `external.csv` writes local time without an offset. */
export const FLEXLAB_TIME_ZONE = 'America/Los_Angeles';

/** Layout of FLEXLAB `external.csv`: comma-separated, `time` first, empty cells for missing readings. */
export const flexlabExternalLayout: DelimitedLayout = {
  separator: ',',
  headerLine: 0,
  firstDataLine: 1,
  timestampColumns: 1,
  missingMarkers: [],
  parseTimestamp([cell = ''], previousTs) {
    const local = parseIsoLocalDateTime(cell);
    return local && seriesTimeToUtcMs(local, FLEXLAB_TIME_ZONE, previousTs);
  },
};

/**
 * Parses FLEXLAB `external.csv`: `oat_C` in °C, `diffused_irradiance_Wm2` and
 * `global_irradiance_Wm2` in W/m², `pv_generation_scaled_W` in W.
 */
export function parseFlexlabExternal(text: string): Generator<DatasetRow> {
  return parseDelimitedRows(text, flexlabExternalLayout);
}
