import { DhVirtualenvError, StepFailedError, CommandFailedError } from '../src/errors';
import { helpText } from '../src/help';
import { consoleLogger } from '../src/log';
import { runBuildsystemStep } from '../src/buildsystem';
import { run } from '../src/main';
import { parseOptions } from '../src/options';
import { processRunner } from '../src/runner';
import { VERSION } from '../src/version';

// The only place that reads process.argv and process.env; everything below gets values.
function main(): number {
  const env = process.env;
  const earlyVerbose = env.DH_VERBOSE === '1';
  let logger = consoleLogger(earlyVerbose);
  try {
    const parsed = parseOptions(process.argv.slice(2), env);
    if (parsed.action === 'help') {
      process.stdout.write(helpText());
      return 0;
    }
    if (parsed.action === 'version') {
      process.stdout.write(`dh_virtualenv ${VERSION}\n`);
      return 0;
    }
    logger = consoleLogger(parsed.options.verbose);
    for (const message of parsed.warnings) logger.log({ kind: 'warning', message });
    const context = {
      options: parsed.options,
      runner: processRunner(logger),
      logger,
      hostEnv: env,
      cwd: process.cwd(),
    };
    if (parsed.options.buildsystem === undefined) run(context);
    else runBuildsystemStep(context, parsed.options.buildsystem);
    return 0;
  } catch (error) {
    if (error instanceof DhVirtualenvError) {
      logger.log({ kind: 'error', message: error.message, details: errorDetails(error) });
      if (logger.verbose && error.stack !== undefined) process.stderr.write(error.stack + '\n');
      return error.exitCode;
    }
    throw error;
  }
}

function errorDetails(error: DhVirtualenvError): string[] {
  const cause = error instanceof StepFailedError ? error.cause : error;
  const details: string[] = [];
  if (cause instanceof CommandFailedError) {
    details.push(`command: ${cause.argv.join(' ')}`);
    if (cause.stderrTail !== '') details.push(...cause.stderrTail.split('\n'));
  }
  if (error instanceof StepFailedError && error.hint !== undefined) details.push(`hint: ${error.hint}`);
  return details;
}

process.exitCode = main();
