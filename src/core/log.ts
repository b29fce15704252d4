import { redactCredentials } from './credentials';
import { quoteForShell } from './shell-quote';

/** Everything the tool prints goes through one of these entries and one formatter. */
export type LogEntry =
  | { kind: 'progress'; packageName: string; message: string }
  /** A step has ended: what it did and how long it took. */
  | { kind: 'done'; packageName: string; message: string; seconds: number }
  | { kind: 'command'; argv: readonly string[]; cwd?: string }
  | { kind: 'detail'; message: string }
  /** A fact about the whole run that every log shows, such as where the distributions come from. */
  | { kind: 'note'; message: string }
  | { kind: 'warning'; message: string }
  | { kind: 'error'; message: string; details: readonly string[] };

export interface Logger {
  readonly verbose: boolean;
  log(entry: LogEntry): void;
}

/** The command that prints, at the start of every line as debhelper's commands do. */
export const DEFAULT_PROGRAM = 'dh_virtualenv';

/**
 * Returns the text for an entry, or null where the entry is only shown in verbose mode. Credentials in URLs
 * are masked here, where everything the tool prints passes (credentials.ts).
 */
export function formatEntry(
  entry: LogEntry,
  verbose: boolean,
  program: string = DEFAULT_PROGRAM,
): string | null {
  const text = formatUnredacted(entry, verbose, program);
  return text === null ? null : redactCredentials(text);
}

function formatUnredacted(
  entry: LogEntry,
  verbose: boolean,
  program: string = DEFAULT_PROGRAM,
): string | null {
  switch (entry.kind) {
    case 'progress':
      return `${program}: ${entry.packageName}: ${entry.message}`;
    case 'done':
      return `${program}: ${entry.packageName}: ${entry.message} … ${entry.seconds.toFixed(1)} s`;
    case 'command': {
      // Same shape as debhelper's verbose output: a tab, then the command as a shell would read it.
      if (!verbose) return null;
      const line = entry.argv.map(quoteForShell).join(' ');
      return entry.cwd === undefined ? `\t${line}` : `\t(cd ${quoteForShell(entry.cwd)} && ${line})`;
    }
    case 'detail':
      return verbose ? `${program}: ${entry.message}` : null;
    case 'note':
      return `${program}: ${entry.message}`;
    case 'warning':
      return `${program}: warning: ${entry.message}`;
    case 'error':
      return [`${program}: error: ${entry.message}`, ...entry.details.map((d) => `${program}: ${d}`)].join(
        '\n',
      );
  }
}

export function consoleLogger(verbose: boolean, program: string = DEFAULT_PROGRAM): Logger {
  return {
    verbose,
    log(entry) {
      const text = formatEntry(entry, verbose, program);
      if (text === null) return;
      const toStderr = entry.kind === 'warning' || entry.kind === 'error';
      (toStderr ? process.stderr : process.stdout).write(text + '\n');
    },
  };
}
