/**
 * State of the edge's link to the hub, shared by the uploader and the live uplink and read by
 * the sync status endpoint, the health endpoint and the metrics. Times are epoch ms UTC, null until the
 * event first happens.
 */
export class LinkStatus {
  /** Site the edge is paired with, from its credential, or null for an unpaired edge. */
  siteId: string | null = null;
  /** Last response of any kind from the hub. */
  lastContactAt: number | null = null;
  /** Last upload the hub acknowledged. */
  lastAckAt: number | null = null;
  /** Clock skew the hub measured on the last acknowledged upload (hub minus edge). */
  clockSkewMs: number | null = null;
  /** Whether the live uplink WebSocket is open. */
  liveConnected = false;
  /** Whether the hub currently wants live samples from this site. */
  liveWatched = false;
  /** The last error of the link, for the status endpoint, or null after a success. */
  lastError: string | null = null;
  /**
   * Why the edge stopped talking to the hub: their edge-hub protocol versions are incompatible. Stays
   * set until the edge node restarts, because only an update of one side clears it.
   */
  protocolError: string | null = null;

  /** Records a response from the hub. */
  contact(at: number): void {
    this.lastContactAt = at;
  }
}
