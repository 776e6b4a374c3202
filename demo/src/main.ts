import { formatProblems, runPreflight } from './preflight';
import { help, parseDemoOptions, UsageError } from './options';
import { runDemo } from './run-demo';

/*
 * `pnpm demo`: checks the prerequisites, then runs the hub and both demo edges until Ctrl+C.
 * Exit codes: 0 stopped by Ctrl+C or SIGTERM, 1 a check or a step failed, 2 invalid command line.
 */

let options;
try {
  options = parseDemoOptions(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`${error.message}\n\n${help}`);
  process.exit(2);
}
if (options === null) {
  process.stdout.write(help);
} else {
  const problems = await runPreflight(options);
  if (problems.length > 0) {
    process.stderr.write(formatProblems(problems));
    process.exitCode = 1;
  } else {
    process.exitCode = await runDemo(options);
  }
}
