import { describe, expect, it } from 'vitest';
import { currencyCodeError } from '../../../../src/components/energy-settings/currency';

describe('currencyCodeError', () => {
  it('accepts three capital letters', () => {
    expect(currencyCodeError('CHF')).toBeNull();
  });

  it.each(['chf', 'EU', 'EURO', '', 'E1R'])('rejects %j', (code) => {
    expect(currencyCodeError(code)).toBe(`invalid currency "${code}": enter an ISO 4217 code of three capital letters, such as EUR or CHF`);
  });
});
