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
