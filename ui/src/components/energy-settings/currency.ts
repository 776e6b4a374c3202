/** Returns an error for a currency that is not three capital letters, or null for a well-formed code; the hub checks that the code exists. */
export function currencyCodeError(code: string): string | null {
  return /^[A-Z]{3}$/.test(code) ? null : `invalid currency "${code}": enter an ISO 4217 code of three capital letters, such as EUR or CHF`;
}
