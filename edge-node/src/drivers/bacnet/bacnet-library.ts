import bacnetModule from '@bacnet-js/client';

/**
 * The client class of @bacnet-js/client 3.3. The package is CommonJS with `exports.default`, so under
 * Node's ESM loader (tsx) the default import is the whole `module.exports` and the class sits in its
 * `default`, while vitest hands over the class itself. Both the driver and the simulator take it
 * from here.
 */
export const BacnetClient: typeof bacnetModule =
  (bacnetModule as unknown as { default?: typeof bacnetModule }).default ?? bacnetModule;

/** An instance of the library's client. */
export type BacnetClientInstance = InstanceType<typeof bacnetModule>;
