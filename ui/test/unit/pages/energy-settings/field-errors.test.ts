import { describe, expect, it } from 'vitest';
import { ApiError, describeError } from '../../../../src/api/api-error';
import {
  fieldElementId,
  fieldErrorsFromIssues,
  fieldErrorsFromSaveError,
  formatFieldPath,
  isFieldWithin,
  mergeFieldErrors,
  normalizeFieldPath,
  visibleFieldErrors,
  withServerErrors,
} from '../../../../src/components/energy-settings/field-errors';
import { SettingsSaveError } from '../../../../src/components/energy-settings/energy-settings-api';

describe('field paths', () => {
  it('formats a zod path with brackets', () => {
    expect(formatFieldPath(['virtualMeters', 2, 'formula'])).toBe('virtualMeters[2].formula');
    expect(formatFieldPath(['tariffs', 0, 'tariff', 'import', 'seasons', 1, 'periods', 3])).toBe('tariffs[0].tariff.import.seasons[1].periods[3]');
    expect(formatFieldPath([])).toBe('');
  });

  it('normalizes dotted indexes', () => {
    expect(normalizeFieldPath('virtualMeters.2.formula')).toBe('virtualMeters[2].formula');
    expect(normalizeFieldPath('tariffs.0.tariff.import.seasons.1')).toBe('tariffs[0].tariff.import.seasons[1]');
    expect(normalizeFieldPath('virtualMeters[2].formula')).toBe('virtualMeters[2].formula');
  });

  it('derives distinct element ids', () => {
    expect(fieldElementId('virtualMeters[2].formula')).toBe('energy-virtualMeters-2-formula');
    expect(fieldElementId('tariffs[1]')).toBe('energy-tariffs-1');
    expect(fieldElementId('tariffs[1].validFrom')).not.toBe(fieldElementId('tariffs[11].validFrom'));
  });

  it('tells whether a field lies in a group', () => {
    expect(isFieldWithin('tariffs[0].validFrom', 'tariffs[0]')).toBe(true);
    expect(isFieldWithin('tariffs[0].validFrom', 'tariffs')).toBe(true);
    expect(isFieldWithin('tariffs[10].validFrom', 'tariffs[1]')).toBe(false);
    expect(isFieldWithin('nightWindow.toHour', 'nightWindow')).toBe(true);
    expect(isFieldWithin('nightWindowX', 'nightWindow')).toBe(false);
  });
});

describe('error maps', () => {
  it('collects issues by path', () => {
    const errors = fieldErrorsFromIssues([
      { path: ['tariffs', 0, 'validFrom'], message: 'first' },
      { path: ['tariffs', 0, 'validFrom'], message: 'second' },
      { path: ['tariffs', 0, 'validFrom'], message: 'first' },
      { path: [], message: 'whole form' },
    ]);
    expect(errors).toEqual({ 'tariffs[0].validFrom': ['first', 'second'], '': ['whole form'] });
  });

  it('merges maps without repeats', () => {
    expect(mergeFieldErrors({ a: ['x'] }, { a: ['x', 'y'], b: ['z'] })).toEqual({ a: ['x', 'y'], b: ['z'] });
  });
});

describe('fieldErrorsFromSaveError', () => {
  it('puts the message on the named field', () => {
    const error = new ApiError(400, 'invalid_virtual_meter', 'unknown meter "x.y" in the formula of "house"', 'virtualMeters[2].formula');
    expect(fieldErrorsFromSaveError(error, describeError)).toEqual({ 'virtualMeters[2].formula': ['unknown meter "x.y" in the formula of "house"'] });
  });

  it('accepts a dotted parameter', () => {
    const error = new ApiError(400, 'invalid_request', 'bad day', 'tariffs.1.validFrom');
    expect(Object.keys(fieldErrorsFromSaveError(error, describeError))).toEqual(['tariffs[1].validFrom']);
  });

  it('puts an error without parameter above the form', () => {
    const error = new ApiError(403, 'forbidden', 'site managers and above change energy settings');
    expect(fieldErrorsFromSaveError(error, describeError)).toEqual({ '': ['site managers and above change energy settings'] });
  });

  it('maps every listed issue', () => {
    const error = new SettingsSaveError(new ApiError(422, 'invalid_virtual_meter', 'first (1 more problems are listed in issues)', 'virtualMeters[0].formula'), [
      { path: 'virtualMeters[0].formula', message: 'first' },
      { path: 'virtualMeters[1].formula', message: 'second' },
    ]);
    expect(fieldErrorsFromSaveError(error, describeError)).toEqual({ 'virtualMeters[0].formula': ['first'], 'virtualMeters[1].formula': ['second'] });
  });

  it('uses the parameter when no issues are listed', () => {
    const error = new SettingsSaveError(new ApiError(422, 'time_zone_mismatch', 'set the zone', 'tariffs[0].tariff.timeZone'), []);
    expect(fieldErrorsFromSaveError(error, describeError)).toEqual({ 'tariffs[0].tariff.timeZone': ['set the zone'] });
  });

  it('puts a network failure above the form', () => {
    expect(fieldErrorsFromSaveError(new TypeError('Failed to fetch'), describeError)).toEqual({ '': ['the server cannot be reached; check the network connection'] });
  });
});

describe('withServerErrors', () => {
  it('lets the hub message replace the client one of a field', () => {
    const client = { 'virtualMeters[0].formula': ['client'], 'tariffs[0].validFrom': ['other'] };
    const server = { 'virtualMeters[0].formula': ['server'] };
    expect(withServerErrors(client, server)).toEqual({ 'virtualMeters[0].formula': ['server'], 'tariffs[0].validFrom': ['other'] });
  });
});

describe('visibleFieldErrors', () => {
  const errors = {
    'tariffs[0].validFrom': ['a'],
    'tariffs[0].tariff.import.seasons[0].periods': ['overlap'],
    'virtualMeters[0].formula': ['b'],
    '': ['c'],
  };

  it('shows nothing before any field was left', () => {
    expect(visibleFieldErrors(errors, { touched: new Set(), submitted: false })).toEqual({});
  });

  it('shows the messages of left fields and their groups', () => {
    const touched = new Set(['tariffs[0].tariff.import.seasons[0].periods[1].to']);
    expect(visibleFieldErrors(errors, { touched, submitted: false })).toEqual({ 'tariffs[0].tariff.import.seasons[0].periods': ['overlap'] });
  });

  it('shows everything after a save was tried', () => {
    expect(visibleFieldErrors(errors, { touched: new Set(), submitted: true })).toEqual(errors);
  });
});
