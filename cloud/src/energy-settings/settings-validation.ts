import { validateVirtualMeters, type SiteEnergySettings } from '@simtestlab/sync';
import { HttpError } from '../api/http-error';
import { toFormulaCatalog, type SiteMeter } from './meter-catalog';

/** Facts about the site and its organization that the settings are checked against. */
export interface SettingsContext {
  siteName: string;
  siteTimeZone: string;
  organizationCurrency: string;
  meters: readonly SiteMeter[];
}

/** One problem found in valid-looking settings, at a path such as `virtualMeters[0].formula`. */
interface SettingsIssue {
  path: string;
  message: string;
}

/** Builds the 422 for problems of one kind, led by the first one; `issues` lists all of them. */
function unprocessable(code: string, issues: SettingsIssue[]): HttpError {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (${issues.length - 1} more problems are listed in issues)` : '';
  return new HttpError(422, code, `${first.message}${more}`, { parameter: first.path, issues });
}

function tariffLabel(settings: SiteEnergySettings, index: number): string {
  return `tariff from ${settings.tariffs[index]!.validFrom} (tariffs[${index}])`;
}

/** Checks that every tariff is priced in the organization's currency. */
function tariffCurrencyIssues(settings: SiteEnergySettings, context: SettingsContext): SettingsIssue[] {
  return settings.tariffs.flatMap(({ tariff }, index) =>
    tariff.currency === context.organizationCurrency
      ? []
      : [
          {
            path: `tariffs[${index}].tariff.currency`,
            message:
              `${tariffLabel(settings, index)} is priced in ${tariff.currency} but the organization's currency is ${context.organizationCurrency}: ` +
              `price the tariff in ${context.organizationCurrency}, or have an org admin change the organization currency to ${tariff.currency}`,
          },
        ],
  );
}

/**
 * Checks that every tariff follows the site's wall clock. Periods, seasons and the `validFrom` days are
 * then all read in one zone, the one the site's reports use.
 */
function tariffTimeZoneIssues(settings: SiteEnergySettings, context: SettingsContext): SettingsIssue[] {
  return settings.tariffs.flatMap(({ tariff }, index) =>
    tariff.timeZone === context.siteTimeZone
      ? []
      : [
          {
            path: `tariffs[${index}].tariff.timeZone`,
            message:
              `${tariffLabel(settings, index)} follows the clock of ${tariff.timeZone} but site "${context.siteName}" is in ${context.siteTimeZone}: ` +
              `set the tariff's timeZone to ${context.siteTimeZone}`,
          },
        ],
  );
}

/**
 * Checks each virtual meter formula against the site's meters with validateVirtualMeters (known meters,
 * matching units, no cycle). A virtual meter id cannot equal a point id, because the schema allows no '.'
 * in it and every point id is `device.point`.
 */
function virtualMeterIssues(settings: SiteEnergySettings, context: SettingsContext): SettingsIssue[] {
  const indexById = new Map(settings.virtualMeters.map((meter, index) => [meter.id, index]));
  return validateVirtualMeters(settings.virtualMeters, toFormulaCatalog(context.meters)).map((error) => {
    const index = indexById.get(error.meterId);
    const where = index === undefined ? 'virtualMeters' : `virtualMeters[${index}].formula`;
    const subject = index === undefined ? `virtual meter "${error.meterId}"` : `virtual meter "${error.meterId}" (virtualMeters[${index}])`;
    return { path: where, message: `${subject}: ${error.message}` };
  });
}

/**
 * Checks settings that passed the schema against the organization and the site, and raises a 422
 * (`currency_mismatch`, `time_zone_mismatch` or `invalid_virtual_meter`) for the first kind of problem
 * found, with every problem of that kind in `issues`.
 */
export function checkSettingsForSite(settings: SiteEnergySettings, context: SettingsContext): void {
  const checks: [code: string, issues: SettingsIssue[]][] = [
    ['currency_mismatch', tariffCurrencyIssues(settings, context)],
    ['time_zone_mismatch', tariffTimeZoneIssues(settings, context)],
    ['invalid_virtual_meter', virtualMeterIssues(settings, context)],
  ];
  for (const [code, issues] of checks) {
    if (issues.length > 0) throw unprocessable(code, issues);
  }
}
