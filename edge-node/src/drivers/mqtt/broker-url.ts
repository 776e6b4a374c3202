/**
 * Returns a broker URL fit for logs and messages: a password in it is replaced by `***`. Returns the
 * text unchanged when it is not a URL.
 */
export function redactBrokerUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
