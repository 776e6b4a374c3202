import { stringField } from './json-fields';

/** A JSON response: status, parsed body (text when it is not JSON, null when empty) and headers. */
export interface ApiResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

/** Sends one JSON request to `baseUrl + path` with an optional bearer token, and returns the response. */
export async function sendJson(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let body: unknown = text === '' ? null : text;
  try {
    if (text !== '') body = JSON.parse(text);
  } catch {
    // Not JSON, such as a CSV export or an HTML page: the text is the body.
  }
  return { status: response.status, body, headers: response.headers };
}

/** Sends a JSON request and returns the body; throws naming the request, the status and the body when the status is not `expectedStatus`. */
export async function expectJson(
  baseUrl: string,
  method: string,
  path: string,
  expectedStatus: number,
  options: { token?: string; body?: unknown } = {},
): Promise<unknown> {
  const response = await sendJson(baseUrl, method, path, options);
  if (response.status !== expectedStatus) {
    throw new Error(`${method} ${baseUrl}${path} returned ${response.status}, expected ${expectedStatus}: ${JSON.stringify(response.body)?.slice(0, 500)}`);
  }
  return response.body;
}

/** Logs in on the hub with an email and password and returns the access token. */
export async function loginToHub(hubUrl: string, email: string, password: string): Promise<string> {
  const body = await expectJson(hubUrl, 'POST', '/api/auth/login', 200, { body: { email, password } });
  return stringField(body, 'accessToken', `hub login of ${email}`);
}

/** Logs in on the edge with a local username or a hub user's email, and returns the access token. */
export async function loginToEdge(edgeUrl: string, username: string, password: string): Promise<string> {
  const body = await expectJson(edgeUrl, 'POST', '/api/auth/login', 200, { body: { username, password } });
  return stringField(body, 'accessToken', `edge login of ${username}`);
}
