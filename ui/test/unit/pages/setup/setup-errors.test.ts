import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src/api/api-error';
import { describeSetupFailure, setupErrorFrom } from '../../../../src/pages/setup/setup-errors';

describe('setupErrorFrom', () => {
  it('reads an error given as a string', () => {
    const error = setupErrorFrom(new Response(null, { status: 401 }), { error: 'the setup code is wrong' });
    expect(error.status).toBe(401);
    expect(error.message).toBe('the setup code is wrong');
  });

  it('reads the edge API error object with its parameter', () => {
    const error = setupErrorFrom(new Response(null, { status: 400 }), { error: { code: 'invalid_body', message: 'cidr: too wide', parameter: 'cidr' } });
    expect(error.code).toBe('invalid_body');
    expect(error.parameter).toBe('cidr');
  });

  it('reads Retry-After', () => {
    const error = setupErrorFrom(new Response(null, { status: 429, headers: { 'Retry-After': '600' } }), { error: 'too many wrong codes' });
    expect(error.retryAfterS).toBe(600);
  });

  it('falls back to the status without a body', () => {
    expect(setupErrorFrom(new Response(null, { status: 500, statusText: 'Internal Server Error' }), undefined).message).toContain('500');
  });
});

describe('describeSetupFailure', () => {
  it('asks to retype a wrong code without relocking', () => {
    const failure = describeSetupFailure(new ApiError(401, 'wrong_code', 'the setup code is wrong'), 'unlock');
    expect(failure.message).toBe('The setup code is wrong.');
    expect(failure.relock).toBe(false);
  });

  it('relocks when a later step gets 401', () => {
    expect(describeSetupFailure(new ApiError(401, 'http_401', 'setup token expired'), 'scan').relock).toBe(true);
  });

  it('points to the earlier steps on 409', () => {
    expect(describeSetupFailure(new ApiError(409, 'http_409', 'no admin yet'), 'finish').advice).toContain('earlier steps');
  });

  it('suggests standalone when the hub fails', () => {
    expect(describeSetupFailure(new ApiError(502, 'http_502', 'hub refused the code'), 'pair').advice).toContain('Run standalone');
  });

  it('names the form label instead of the body field', () => {
    const failure = describeSetupFailure(new ApiError(400, 'invalid_body', 'cloudUrl: "ftp://x" must use http or https', 'cloudUrl'), 'pair');
    expect(failure.message).toBe('Cloud URL: "ftp://x" must use http or https.');
  });

  it('names the device of a device field', () => {
    const error = new ApiError(400, 'invalid_body', 'devices.0.name: give a name of 1 to 200 characters', 'devices.0.name');
    expect(describeSetupFailure(error, 'devices', { deviceNames: ['PV inverter'] }).message).toBe('Device 1 "PV inverter", name: give a name of 1 to 200 characters.');
  });

  it('rechecks the status on 401, 404 and 409', () => {
    expect(describeSetupFailure(new ApiError(401, 'http_401', 'setup token expired'), 'finish').recheck).toBe(true);
    expect(describeSetupFailure(new ApiError(409, 'setup_finished', 'setup is finished'), 'devices').recheck).toBe(true);
    expect(describeSetupFailure(new ApiError(404, 'not_found', 'no route for POST /api/setup/finish'), 'finish').recheck).toBe(true);
    expect(describeSetupFailure(new ApiError(400, 'invalid_body', 'cidr: too wide', 'cidr'), 'scan').recheck).toBe(false);
  });

  it('shows the lockout end in local time without blaming the code', () => {
    const now = Date.parse('2026-12-05T15:20:00Z');
    const error = new ApiError(429, 'too_many_attempts', 'too many wrong setup codes: 5 within 15 minutes; retry in 600 s', 'code', 600);
    const failure = describeSetupFailure(error, 'unlock', { now });
    const localEnd = new Date(now + 600_000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    expect(failure.message).toBe('Too many wrong setup codes: 5 within 15 minutes; retry in 600 s.');
    expect(failure.advice).toContain(`after ${localEnd}`);
    expect(failure.advice).toContain('also the right one');
    expect(failure.advice).not.toContain('Each wrong code counts');
  });

  it('explains a network failure', () => {
    expect(describeSetupFailure(new TypeError('Failed to fetch'), 'admin').message).toContain('cannot be reached');
  });
});
