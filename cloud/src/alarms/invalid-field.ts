import { HttpError } from '../api/http-error';

/** Builds the 400 for one field or query parameter, in the form that request validation uses. */
export function invalidField(path: string, message: string): HttpError {
  return new HttpError(400, 'invalid_request', `${path}: ${message}`, { parameter: path, issues: [{ path, message }] });
}
