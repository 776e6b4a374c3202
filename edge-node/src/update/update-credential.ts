import { cloudCredentialSchema, credentialPath, CredentialError, type CloudCredential } from '../cloud/credential';
import { readDataFolderFile } from './data-folder-file';

/**
 * Loads the hub credential of `dataDir` for the updater. Unlike the edge node's own loader it does not
 * follow a symlink and never puts the file's content into an error, because the updater runs as root on
 * a folder the service user controls.
 */
export function loadUpdateCredential(dataDir: string): CloudCredential {
  const path = credentialPath(dataDir);
  const file = readDataFolderFile(path, 'cloud credential');
  if (file === null) throw new CredentialError(`no cloud credential at ${path}; pair this edge with "edge-node pair --cloud URL --code CODE"`);
  if ((file.mode & 0o077) !== 0) {
    throw new CredentialError(`cloud credential ${path} has mode ${file.mode.toString(8).padStart(4, '0')}, so other users can read it; run "chmod 600 ${path}"`);
  }
  let json: unknown;
  try {
    json = JSON.parse(file.text);
  } catch {
    // The parser's message quotes the text, and the text contains the private key.
    throw new CredentialError(`cloud credential ${path} is not valid JSON; pair this edge again with --force`);
  }
  const parsed = cloudCredentialSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CredentialError(`cloud credential ${path} is invalid at "${issue.path.join('.')}"; pair this edge again with --force`);
  }
  return parsed.data;
}
