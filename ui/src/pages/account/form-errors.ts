import { ApiError, describeError } from '../../api/api-error';

/** Turns a server message such as "the password is wrong; try again" into a sentence for the page. */
export function asSentence(message: string): string {
  const trimmed = message.trim();
  if (trimmed === '') return trimmed;
  const capitalized = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}

/**
 * Returns the message of a failed request as a sentence for a form. A validation message starts with
 * the parameter (`newPassword: must have at least 12 characters`), and the prefix is dropped because
 * the form shows the message under that field.
 */
export function formMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return asSentence(describeError(error));
  const { message, parameter } = error;
  const prefix = parameter === undefined ? null : `${parameter}: `;
  return asSentence(prefix !== null && message.startsWith(prefix) ? message.slice(prefix.length) : message);
}
