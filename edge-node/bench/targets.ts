/** The figures the edge node is built to reach on a 2-core machine, stated next to each result. */
export const benchTargets = {
  /** Samples per second stored with rollups, at 1 s worth of samples per commit. */
  storedSamplesPerSecond: 200_000,
  /** 99th percentile of sample-to-WebSocket latency, in ms. */
  liveP99Ms: 5,
  /** Driver polls per second over modbus-serial's own rate for the same reads. */
  modbusRatio: 0.8,
} as const;
