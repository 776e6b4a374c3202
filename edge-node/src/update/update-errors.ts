/**
 * A release the updater rejected: an invalid or untrusted signature, a checksum mismatch, a downgrade or
 * a protocol the hub does not serve. Nothing was swapped, and the message names what failed and what to do.
 */
export class UpdateRejectedError extends Error {
  override name = 'UpdateRejectedError';
}

/** The new release did not report healthy in time and the previous one was restored. */
export class UpdateRolledBackError extends Error {
  override name = 'UpdateRolledBackError';
}

/**
 * The restart or stop command failed, so the release was never given a chance to run. The previous
 * release was restored, and the version is not recorded as failed.
 */
export class ServiceCommandError extends Error {
  override name = 'ServiceCommandError';
}
