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

  it('explains a network failure', () => {
    expect(describeSetupFailure(new TypeError('Failed to fetch'), 'admin').message).toContain('cannot be reached');
  });
});
