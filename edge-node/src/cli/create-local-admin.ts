import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createLocalAdmin } from '../auth/local-admin';
import { LOCAL_ACCOUNT_ROLE } from '../auth/local-accounts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/passwords';

const help = `Usage: edge-node create-local-admin --username NAME [options] < password-file

Creates a local installer account that logs in on this edge node with POST /api/auth/login, also
when the cloud hub is unreachable. The password is the first line of standard input
(${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters), for example:
  printf '%s\\n' "$PASSWORD" | edge-node create-local-admin --data ./data --username installer

Local accounts have the ${LOCAL_ACCOUNT_ROLE} role on this edge: they read everything and may change
site settings and control devices, but have no organization, user administration or developer rights.

Options:
  --username NAME  3 to 64 letters, digits, dots, dashes or underscores (required)
  --data DIR       folder of the edge node database (default: ./data)
  --replace        set a new password when the account exists already
  -h, --help       show this help
`;

/** Reads the first line of standard input, without its line ending. */
async function readPasswordLine(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password (the input is shown; pipe it in to avoid that): ');
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  throw new Error('no password on standard input; pipe it in, for example printf \'%s\\n\' "$PASSWORD" | edge-node create-local-admin ...');
}

export async function runCreateLocalAdminCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      username: { type: 'string' },
      data: { type: 'string', default: './data' },
      replace: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  if (values.username === undefined) throw new Error(`--username is required\n\n${help}`);
  const password = await readPasswordLine();
  const { account, created } = await createLocalAdmin(values.data, {
    username: values.username,
    password,
    replace: values.replace,
    actorId: userInfo().username,
  });
  process.stdout.write(`${created ? 'created' : 'set a new password for'} local account "${account.username}" (${account.role}) in ${values.data}\n`);
}
