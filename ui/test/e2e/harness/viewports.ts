/** Browser viewport sizes of the UI tests and screenshots, in CSS pixels. */
export const viewports = {
  desktop: { width: 1366, height: 900 },
  /** A 10.9-inch tablet held in landscape. */
  tablet: { width: 1180, height: 820 },
} as const;

export type ViewportName = keyof typeof viewports;
