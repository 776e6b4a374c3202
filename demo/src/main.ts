import { formatProblems, runPreflight } from './preflight';
import { help, parseDemoOptions, UsageError } from './options';
import { REPO_ROOT } from './paths';
import { runDemo } from './run-demo';
import { buildUi, uiBuildReason } from './ui-build';

/*
 * `pnpm demo`: checks the prerequisites, builds the web app when it is missing or out of date, then
 * runs the hub and both demo edges until Ctrl+C.
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
  const buildReason = options.apiOnly ? null : uiBuildReason(REPO_ROOT);
  const problems = await runPreflight(options);
  if (problems.length > 0) {
    process.stderr.write(formatProblems(problems));
    process.exitCode = 1;
  } else if (buildReason !== null && !(await buildWebApp(buildReason))) {
    process.exitCode = 1;
  } else {
    process.exitCode = await runDemo(options);
  }
}

/** Builds the web app with its output on the terminal; returns whether it succeeded. */
async function buildWebApp(reason: string): Promise<boolean> {
  process.stdout.write(`building the web app (${reason}): pnpm --filter @simtestlab/ui build\n`);
  const failure = await buildUi(REPO_ROOT);
  if (failure === null) return true;
  process.stderr.write(`pnpm demo failed: ${failure}; fix the build, or pass --api-only to run without the web app\n`);
  return false;
}
