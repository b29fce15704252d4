import { CommandFailedError, DhVirtualenvError, StepFailedError } from './errors';
import { consoleLogger } from './log';
import { parseOptions, type OptionEnvironment } from './options';
import type { Context } from './pipeline';
import { processRunner } from './runner';
import { VERSION } from './version';

/** What differs between the commands that share the option parser and the one catch below. */
export interface CommandSpec {
  readonly program: string;
  readonly help: () => string;
  /** Option warnings (deprecated spellings) are said once, by dh_virtualenv, not by every command dh runs. */
  readonly sayOptionWarnings: boolean;
  readonly action: (context: Context) => void;
}

/**
 * Parses the options once, runs the command, and turns every DhVirtualenvError into one
 * `<program>: error: …` line and its exit code (a stack trace only when verbose). Returns the exit code.
 */
export function runCommand(
  spec: CommandSpec,
  argv: readonly string[],
  env: OptionEnvironment & NodeJS.ProcessEnv,
  cwd: string,
): number {
  let logger = consoleLogger(env.DH_VERBOSE === '1', spec.program);
  try {
    const parsed = parseOptions(argv, env);
    if (parsed.action === 'help') {
      process.stdout.write(spec.help());
      return 0;
    }
    if (parsed.action === 'version') {
      process.stdout.write(`${spec.program} ${VERSION}\n`);
      return 0;
    }
    logger = consoleLogger(parsed.options.verbose, spec.program);
    if (spec.sayOptionWarnings) {
      for (const message of parsed.warnings) logger.log({ kind: 'warning', message });
    }
    spec.action({ options: parsed.options, runner: processRunner(logger), logger, hostEnv: env, cwd });
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
