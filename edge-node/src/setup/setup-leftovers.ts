import type { Logger } from '../logger';
import { deleteSetupCode } from './setup-code';
import { deleteSetupProgress } from './setup-progress';

/**
 * Deletes the setup code and the setup progress once a site file exists: when setup finishes, and on
 * every normal start, which catches what a crash between writing the site file and deleting them left.
 * A failure is logged, not raised, because the next start tries again.
 */
export function removeSetupLeftovers(dataDir: string, logger: Logger): void {
  try {
    deleteSetupCode(dataDir);
    deleteSetupProgress(dataDir);
  } catch (error) {
    logger.warn({ err: error, dataDir }, 'cannot delete the setup code or the setup progress; the next start tries again');
  }
}
