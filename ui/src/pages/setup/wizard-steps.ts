import type { SetupStatus } from './setup-types';

/** The wizard's steps in order. */
export const SETUP_STEPS = ['code', 'admin', 'site', 'devices', 'review'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

export const STEP_LABELS: Record<SetupStep, string> = {
  code: 'Setup code',
  admin: 'Local admin',
  site: 'Cloud or standalone',
  devices: 'Devices',
  review: 'Review and finish',
};

/** Progress of the setup: the code entered in this tab, and the steps the edge node reports as done. */
export interface SetupProgress {
  unlocked: boolean;
  admin: boolean;
  site: boolean;
  /** Devices saved on the edge node in this setup. */
  devices: number;
}

/** Reads the progress from the edge node's status and whether this tab has a setup token. */
export function progressOf(status: SetupStatus, unlocked: boolean): SetupProgress {
  return { unlocked, admin: status.steps.admin, site: status.steps.site !== null, devices: status.steps.devices };
}

/**
 * Returns whether a step may be opened. The wizard leads through the steps in order, so each needs
 * the one before it, except that the review needs no devices.
 */
export function canOpen(step: SetupStep, progress: SetupProgress): boolean {
  switch (step) {
    case 'code':
      return !progress.unlocked;
    case 'admin':
      return progress.unlocked;
    case 'site':
      return progress.unlocked && progress.admin;
    case 'devices':
    case 'review':
      return progress.unlocked && progress.admin && progress.site;
  }
}

/** Returns whether a step counts as done, for the step list. */
export function isDone(step: SetupStep, progress: SetupProgress): boolean {
  switch (step) {
    case 'code':
      return progress.unlocked;
    case 'admin':
      return progress.admin;
    case 'site':
      return progress.site;
    case 'devices':
      return progress.devices > 0;
    case 'review':
      return false;
  }
}

/** Returns the step to show after the page loads or the code is entered: the first that is not done, or the review. */
export function resumeStep(progress: SetupProgress): SetupStep {
  if (!progress.unlocked) return 'code';
  if (!progress.admin) return 'admin';
  if (!progress.site) return 'site';
  if (progress.devices === 0) return 'devices';
  return 'review';
}

/** Returns the step after `step`, or the last step itself. */
export function nextStep(step: SetupStep): SetupStep {
  const index = SETUP_STEPS.indexOf(step);
  return SETUP_STEPS[Math.min(index + 1, SETUP_STEPS.length - 1)]!;
}

/** Reads a step from the page address (`/setup?step=devices`); null for a missing or unknown name. */
export function parseStep(text: string | undefined): SetupStep | null {
  return SETUP_STEPS.find((step) => step === text) ?? null;
}

/**
 * Returns the step to show: the one the address names when it may be opened, or else the first step
 * not done. The browser's Back button and a reload thus show the step of the address where allowed.
 */
export function stepToShow(requested: SetupStep | null, progress: SetupProgress): SetupStep {
  return requested !== null && canOpen(requested, progress) ? requested : resumeStep(progress);
}
