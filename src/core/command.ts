import { CommandFailedError, ConfigurationError, DhVirtualenvError, StepFailedError } from './errors';
import { consoleLogger, type Logger } from './log';
import { parseOptions, type OptionEnvironment } from '../build/options';
import { withPipConfigurationLogged } from '../build/pip-configuration';
import type { Context } from '../build/pipeline';
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
    const hostEnv = withPipConfigurationLogged(env, logger);
    spec.action({ options: parsed.options, runner: processRunner(logger), logger, hostEnv, cwd });
    return 0;
  } catch (error) {
    return reportFailure(error, logger);
  }
}

/**
 * The one catch of every command (dh_virtualenv's, and dh-virtualenv's subcommands in subcommand.ts): a
 * DhVirtualenvError or failed system call becomes one `<program>: error: …` line (a stack trace only when
 * verbose) and its exit code; anything else is a bug and is thrown on.
 */
export function reportFailure(error: unknown, logger: Logger): number {
  const known = error instanceof DhVirtualenvError ? error : fromSystemError(error);
  if (known === undefined) throw error;
  logger.log({ kind: 'error', message: known.message, details: errorDetails(known) });
  const stack = error instanceof Error ? error.stack : undefined;
  if (logger.verbose && stack !== undefined) process.stderr.write(stack + '\n');
  return known.exitCode;
}

/**
 * A file system call that failed where nothing more specific caught it (a full disk, a file that vanished, a
 * directory that cannot be written): one line naming the call and the path, not a Node stack trace.
 */
export function fromSystemError(error: unknown): DhVirtualenvError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  if (code === undefined || syscall === undefined) return undefined;
  const where = path === undefined ? '' : ` ${path}`;
  const hint = SYSTEM_ERROR_HINTS[code] ?? '';
  return new ConfigurationError(`${syscall}${where}: ${code}${hint}`);
}

const SYSTEM_ERROR_HINTS: Readonly<Record<string, string>> = {
  ENOSPC: ' (the disk is full; free space and build again)',
  EACCES: ' (permission denied; check who owns it, or build as the user who owns the source tree)',
  EROFS: ' (read-only file system; build in a writable copy of the source)',
  ENOENT: ' (no such file or directory)',
  ELOOP: ' (too many levels of symbolic links)',
};

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
