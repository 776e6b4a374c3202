import { runCreateLocalAdminCommand } from './create-local-admin';
import { runDemoCommand } from './demo';
import { runPairCommand } from './pair';
import { runStartCommand } from './start';
import { runUpdateCommand } from './update';
import { runSimulateCommand } from '../simulate/cli';

const usage = `Usage: edge-node <command> [options]

Commands:
  start      run the edge node for a site file
  simulate   run a device simulator that replays real measurements
  demo       run simulators and an edge node for the demo site
  pair       pair this edge node with the cloud hub using a one-time code
  create-local-admin
             create a local installer account that logs in without the cloud hub
  update     check for or install the signed release the cloud hub offers

Run "edge-node <command> --help" for the options of a command.
`;

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  start: runStartCommand,
  simulate: runSimulateCommand,
  demo: runDemoCommand,
  pair: runPairCommand,
  'create-local-admin': runCreateLocalAdminCommand,
  update: runUpdateCommand,
};

const [command, ...rest] = process.argv.slice(2);
if (command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(usage);
} else if (command === undefined) {
  process.stderr.write(`a command is required\n\n${usage}`);
  process.exitCode = 2;
} else if (!(command in commands)) {
  process.stderr.write(`unknown command "${command}"\n\n${usage}`);
  process.exitCode = 2;
} else {
  try {
    await commands[command]!(rest);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
