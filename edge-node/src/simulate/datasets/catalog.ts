import { readFileSync } from 'node:fs';
import { type DatasetRow, readColumnNames } from './delimited-text';
import { flexlabExternalLayout, parseFlexlabExternal } from './flexlab-external';
import { flexlabRaLayout, parseFlexlabRa } from './flexlab-ra';
import { parseToa5, toa5Layout, MST_OFFSET_MINUTES } from './toa5';
import { parseUciHousehold, uciHouseholdLayout } from './uci-household';
import { assetPath } from '../../runtime/install-paths';

/** Folder of the data excerpts shipped with the edge node (see its README for sources and licenses). */
export const datasetDir = assetPath('datasets/');

/** A parsed data file: rows in time order, one per `intervalMs` where the source has a record. */
export interface Dataset {
  name: DatasetName;
  /** Path relative to `datasetDir`. */
  file: string;
  columns: string[];
  /** Nominal spacing of the rows; a row stands for the interval that starts at its `ts`. */
  intervalMs: number;
  rows: DatasetRow[];
}

interface CatalogEntry {
  file: string;
  intervalMs: number;
  parse(text: string): Iterable<DatasetRow>;
  columns(text: string): string[];
}

const MINUTE_MS = 60_000;

const catalog = {
  'uci-household': {
    file: 'uci-household/household_power_consumption_2006-12-21.txt',
    intervalMs: MINUTE_MS,
    parse: parseUciHousehold,
    columns: (text) => readColumnNames(text, uciHouseholdLayout),
  },
  'pecos-pv': {
    file: 'pecos/Baseline6kW_2015_11_11.dat',
    intervalMs: MINUTE_MS,
    parse: (text) => parseToa5(text),
    columns: (text) => readColumnNames(text, toa5Layout(MST_OFFSET_MINUTES)),
  },
  'pecos-met': {
    file: 'pecos/MET_2015_11_11.dat',
    intervalMs: MINUTE_MS,
    parse: (text) => parseToa5(text),
    columns: (text) => readColumnNames(text, toa5Layout(MST_OFFSET_MINUTES)),
  },
  'flexlab-external': {
    file: 'flexlab/external_2020-07-21.csv',
    intervalMs: MINUTE_MS,
    parse: parseFlexlabExternal,
    columns: (text) => readColumnNames(text, flexlabExternalLayout),
  },
  'flexlab-ra': {
    file: 'flexlab/RA_20200213T000000_20200213T235959.csv',
    intervalMs: MINUTE_MS,
    parse: parseFlexlabRa,
    columns: (text) => readColumnNames(text, flexlabRaLayout),
  },
} satisfies Record<string, CatalogEntry>;

/** Names of the shipped data excerpts. */
export type DatasetName = keyof typeof catalog;
export const datasetNames = Object.keys(catalog) as DatasetName[];

const cache = new Map<DatasetName, Dataset>();

/**
 * Reads and parses a shipped data excerpt. Parsed once per process and cached, so treat the result
 * as read-only. Throws when the file is missing or a DatasetParseError when it does not parse.
 */
export function loadDataset(name: DatasetName): Dataset {
  const cached = cache.get(name);
  if (cached) return cached;
  const entry: CatalogEntry = catalog[name];
  const text = readFileSync(`${datasetDir}${entry.file}`, 'utf8');
  const dataset: Dataset = {
    name,
    file: entry.file,
    columns: entry.columns(text),
    intervalMs: entry.intervalMs,
    rows: [...entry.parse(text)],
  };
  cache.set(name, dataset);
  return dataset;
}
