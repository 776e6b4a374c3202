/** Remedies for listen errors, by errno code. */
const remedies: Record<string, string> = {
  EADDRINUSE: 'another process holds the port; stop it or pass another --port, 0 for any free port',
  EACCES: 'ports below 1024 need root or CAP_NET_BIND_SERVICE; pass a --port of 1024 or more',
  EADDRNOTAVAIL: 'the address belongs to no interface of this host; pass a --host this host has, such as 127.0.0.1',
};

/** Formats `host:port`, with an IPv6 address in brackets. */
function endpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * A simulator could not open its listening socket. The message names the protocol, the address,
 * the errno code and, for the usual codes, what to do, such as
 * `cannot listen for Modbus TCP on 127.0.0.1:15502: EADDRINUSE (another process holds the port; ...)`.
 */
export class SimulatorListenError extends Error {
  /** Errno code of the failure, such as `EADDRINUSE`, when the error carried one. */
  readonly code: string | undefined;
  readonly host: string;
  readonly port: number;

  constructor(protocol: string, host: string, port: number, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const reason = code ?? (cause instanceof Error ? cause.message : String(cause));
    const remedy = code === undefined ? undefined : remedies[code];
    super(`cannot listen for ${protocol} on ${endpoint(host, port)}: ${reason}${remedy === undefined ? '' : ` (${remedy})`}`, { cause });
    this.name = 'SimulatorListenError';
    this.code = code;
    this.host = host;
    this.port = port;
  }
}
