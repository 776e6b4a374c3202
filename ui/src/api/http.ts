import createClient, { type Client } from 'openapi-fetch';
import { apiErrorFrom } from './api-error';

/** Token access the typed clients need from the session: the current token and a way to renew it. */
export interface TokenSource {
  token(): string | null;
  /** Renews the access token; resolves false when the session is over. */
  renew(): Promise<boolean>;
}

/**
 * Creates a typed client for one API document. Every request carries the access token. A 401 renews
 * the token once and repeats the request, so a token that expired a moment ago costs no error.
 */
export function createApiClient<Paths extends {}>(tokens: TokenSource): Client<Paths> {
  const send = async (request: Request): Promise<Response> => {
    const retry = request.clone();
    const response = await fetch(withToken(request, tokens.token()));
    if (response.status !== 401 || !tokens.token()) return response;
    if (!(await tokens.renew())) return response;
    return fetch(withToken(retry, tokens.token()));
  };
  return createClient<Paths>({ baseUrl: '', fetch: send });
}

function withToken(request: Request, token: string | null): Request {
  if (!token) return request;
  const headers = new Headers(request.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}

/** Returns the body of a typed client's response, or throws the API's error as an `ApiError`. */
export async function unwrap<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw apiErrorFrom(response, error);
  return data as T;
}
