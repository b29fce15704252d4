/**
 * Every failure the tool reports is one of these. `bin/dh_virtualenv.ts` catches them in one place and turns
 * each into a single `dh_virtualenv: error: …` line and a non-zero exit status.
 */
export abstract class DhVirtualenvError extends Error {
  abstract readonly exitCode: number;
}

/** Bad command line, option combination or environment variable: nothing was touched yet. */
export class UsageError extends DhVirtualenvError {
  readonly exitCode = 2;
}

/** The source package or the build host is not in a state we can build from. */
export class ConfigurationError extends DhVirtualenvError {
  readonly exitCode = 1;
}

/** An external command failed or could not be started. */
export class CommandFailedError extends DhVirtualenvError {
  readonly exitCode = 1;

  constructor(
    readonly argv: readonly string[],
    readonly status: number | null,
    readonly signal: string | null,
    readonly stderrTail: string,
    readonly spawnError?: string,
  ) {
    super(CommandFailedError.describe(argv, status, signal, spawnError));
  }

  private static describe(
    argv: readonly string[],
    status: number | null,
    signal: string | null,
    spawnError?: string,
  ): string {
    const program = argv[0] ?? '';
    if (spawnError !== undefined) return `could not run ${program}: ${spawnError}`;
    if (signal !== null) return `${program} died with signal ${signal}`;
    return `${program} returned exit code ${status ?? 'unknown'}`;
  }
}

/** Wraps a failure with the package and pipeline step it happened in, so the one error line names both. */
export class StepFailedError extends DhVirtualenvError {
  readonly exitCode: number;

  constructor(
    readonly packageName: string,
    readonly step: string,
    readonly cause: DhVirtualenvError,
    readonly hint?: string,
  ) {
    super(`${packageName}: ${step} failed: ${cause.message}`);
    this.exitCode = cause.exitCode;
  }
}
