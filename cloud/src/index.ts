/**
 * Cloud hub entry point. The hub itself (organizations, users, roles, sync endpoints) is built in the
 * cloud hub issue; until then this package only type-checks against the shared contract.
 */
import { qualityCodes } from '@simtestlab/sync';

export const supportedQualityCodes = qualityCodes;
