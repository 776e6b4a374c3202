/** One record of a data set: its instant in epoch ms UTC and the values of its data columns. */
export interface DatasetRow {
  ts: number;
  /** Value per column name; null where the source marks the value missing. */
  values: Record<string, number | null>;
}

/** A data file could not be parsed. `line` is 1-based, as editors count. */
export class DatasetParseError extends Error {
  readonly line: number;

  constructor(message: string, options: { line: number; cause?: unknown }) {
    super(`line ${options.line}: ${message}`, { cause: options.cause });
    this.name = 'DatasetParseError';
    this.line = options.line;
  }
}

/** Layout of a delimited data file. */
export interface DelimitedLayout {
  separator: string;
  /** 0-based index of the line with the column names. */
  headerLine: number;
  /** 0-based index of the first data line. */
  firstDataLine: number;
  /** Leading columns that together hold the timestamp; they are not returned as values. */
  timestampColumns: number;
  /** Cells, after trimming and unquoting, that mean "no value" (the empty cell always does). */
  missingMarkers: readonly string[];
  /**
   * Turns the timestamp cells into epoch ms UTC, or returns undefined when they are invalid.
   * `previousTs` is the time of the previous row, for resolving repeated local hours.
   */
  parseTimestamp(cells: readonly string[], previousTs: number | undefined): number | undefined;
}

/** Splits text into lines on CRLF, LF or a lone CR. A final line break does not start a new line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Splits a line into cells and removes one pair of double quotes around a cell, as TOA5 loggers
 * write them. NOTE: a quoted cell that contains the separator is not supported; none of the shipped
 * files has one.
 */
export function splitCells(line: string, separator: string): string[] {
  return line.split(separator).map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
}

/** Returns the column names of the header line, without the timestamp columns. */
export function readColumnNames(text: string, layout: DelimitedLayout): string[] {
  const header = splitLines(text)[layout.headerLine];
  if (header === undefined) {
    throw new DatasetParseError('the header line is missing', { line: layout.headerLine + 1 });
  }
  return splitCells(header, layout.separator).slice(layout.timestampColumns);
}

function parseCell(cell: string, missing: ReadonlySet<string>, line: number, column: string): number | null {
  if (cell === '' || missing.has(cell)) return null;
  const value = Number(cell);
  if (!Number.isFinite(value)) {
    throw new DatasetParseError(`invalid number "${cell}" in column ${column}`, { line });
  }
  return value;
}

/**
 * Parses a delimited data file into rows in file order. Missing cells and cells past the end of a
 * short line become null. A last line that has fewer cells than the header and no line break after
 * it is a cut-off copy whose last cell may be truncated, so it is dropped. Blank lines are skipped.
 * Throws a DatasetParseError naming the line for an invalid timestamp or number.
 */
export function* parseDelimitedRows(text: string, layout: DelimitedLayout): Generator<DatasetRow> {
  const columns = readColumnNames(text, layout);
  const missing = new Set(layout.missingMarkers);
  const lines = splitLines(text);
  const endsWithLineBreak = /[\r\n]$/.test(text);
  const expectedCells = layout.timestampColumns + columns.length;
  let previousTs: number | undefined;

  for (let index = layout.firstDataLine; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    const cells = splitCells(line, layout.separator);
    const isLast = index === lines.length - 1;
    if (isLast && !endsWithLineBreak && cells.length < expectedCells) return;

    const lineNumber = index + 1;
    const ts = layout.parseTimestamp(cells.slice(0, layout.timestampColumns), previousTs);
    if (ts === undefined) {
      const stamp = cells.slice(0, layout.timestampColumns).join(layout.separator);
      throw new DatasetParseError(`invalid timestamp "${stamp}"`, { line: lineNumber });
    }

    const values: Record<string, number | null> = {};
    columns.forEach((column, i) => {
      const cell = cells[layout.timestampColumns + i];
      values[column] = cell === undefined ? null : parseCell(cell, missing, lineNumber, column);
    });
    previousTs = ts;
    yield { ts, values };
  }
}
