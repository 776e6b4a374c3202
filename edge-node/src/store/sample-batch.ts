import type { SampleValue } from '@simtestlab/sync';

/**
 * Samples as columns of typed arrays: cheap to append to (no object per sample, so little garbage on
 * the thread that serves the live stream) and cheap to copy to the commit worker. Text values, which
 * are rare, go to `text` in sample order.
 */
export interface SampleColumns {
  count: number;
  ts: Float64Array;
  pointId: Uint32Array;
  quality: Uint16Array;
  /** 0: the value is `numeric[i]`, 1: null, 2: the next entry of `text`. */
  kind: Uint8Array;
  numeric: Float64Array;
  text: string[];
}

const NUMBER = 0;
const NULL = 1;
const TEXT = 2;

/** Appends samples to growing columns; `take` hands them over and starts new ones. */
export class SampleBatchBuilder {
  private columns: SampleColumns;

  constructor(private readonly initialCapacity = 4096) {
    this.columns = allocate(initialCapacity);
  }

  get length(): number {
    return this.columns.count;
  }

  push(pointId: number, ts: number, value: SampleValue, quality: number): void {
    let columns = this.columns;
    if (columns.count === columns.ts.length) columns = this.grow();
    const index = columns.count++;
    columns.ts[index] = ts;
    columns.pointId[index] = pointId;
    columns.quality[index] = quality;
    if (typeof value === 'number') {
      columns.kind[index] = NUMBER;
      columns.numeric[index] = value;
    } else if (value === null) {
      columns.kind[index] = NULL;
    } else {
      columns.kind[index] = TEXT;
      columns.text.push(value);
    }
  }

  /** Returns the samples added so far, trimmed to their count, and starts an empty batch. */
  take(): SampleColumns {
    const full = this.columns;
    this.columns = allocate(this.initialCapacity);
    return {
      count: full.count,
      ts: full.ts.slice(0, full.count),
      pointId: full.pointId.slice(0, full.count),
      quality: full.quality.slice(0, full.count),
      kind: full.kind.slice(0, full.count),
      numeric: full.numeric.slice(0, full.count),
      text: full.text,
    };
  }

  private grow(): SampleColumns {
    const old = this.columns;
    const bigger = allocate(old.ts.length * 2);
    bigger.ts.set(old.ts);
    bigger.pointId.set(old.pointId);
    bigger.quality.set(old.quality);
    bigger.kind.set(old.kind);
    bigger.numeric.set(old.numeric);
    bigger.text = old.text;
    bigger.count = old.count;
    this.columns = bigger;
    return bigger;
  }
}

function allocate(capacity: number): SampleColumns {
  return {
    count: 0,
    ts: new Float64Array(capacity),
    pointId: new Uint32Array(capacity),
    quality: new Uint16Array(capacity),
    kind: new Uint8Array(capacity),
    numeric: new Float64Array(capacity),
    text: [],
  };
}

/** Calls `visit` for every sample in order, with its value rebuilt from the columns. */
export function forEachSample(columns: SampleColumns, visit: (pointId: number, ts: number, value: SampleValue, quality: number) => void): void {
  let textIndex = 0;
  for (let i = 0; i < columns.count; i++) {
    const kind = columns.kind[i];
    let value: SampleValue;
    if (kind === NUMBER) value = columns.numeric[i]!;
    else if (kind === NULL) value = null;
    else value = columns.text[textIndex++]!;
    visit(columns.pointId[i]!, columns.ts[i]!, value, columns.quality[i]!);
  }
}
