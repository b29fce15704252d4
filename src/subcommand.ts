/**
 * `dh-virtualenv <command> [options]`: the commands that work on a project rather than inside a package build
 * (`init` today). Each is one Subcommand value, listed in subcommands.ts: a name, an option table of the same
 * OptionSpec rows as dh_virtualenv's (so `--help` and the manual page come from it), and an action. This
 * module parses the words against that table, runs the action, and reports a failure through command.ts's
 * one catch: one `dh-virtualenv <command>: error: …` line and its exit code.
 */
import { reportFailure } from './core/command';
import { UsageError } from './core/errors';
import { optionLabel, rows } from './build/help';
import { consoleLogger, type Logger } from './core/log';
import type { OptionSpec } from './core/option-table';
import { withPipConfigurationLogged } from './build/pip-configuration';
import { processRunner, type Runner } from './core/runner';
import { fillWords } from './core/text';
import { VERSION } from './core/version';

/** The command line of a subcommand as written, checked against its option table but not yet interpreted. */
export interface ParsedWords {
  readonly flags: ReadonlySet<string>;
  /** Value options by long name; the last one given wins, as with getopt. */
  readonly values: ReadonlyMap<string, string>;
  /** Repeatable options by long name, in order. */
  readonly lists: ReadonlyMap<string, readonly string[]>;
  /** Words that are not options (and everything after `--`). */
  readonly operands: readonly string[];
}

/** What a subcommand's action gets. Nothing below bin/ reads process.argv, process.env or the clock. */
export interface SubcommandContext {
  readonly words: ParsedWords;
  readonly runner: Runner;
  readonly logger: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The directory the command was run in. */
  readonly cwd: string;
  readonly now: () => Date;
}

export interface Subcommand {
  readonly name: string;
  /** One line for `dh-virtualenv --help` and the manual page's list of commands. */
  readonly summary: string;
  /** Paragraphs for `dh-virtualenv <name> --help` and the manual page. */
  readonly description: readonly string[];
  /** Its own options; --help and --verbose are added to every subcommand. */
  readonly options: readonly OptionSpec[];
  /** Command lines for the manual page's EXAMPLES, each with a sentence saying what it does. */
  readonly examples: readonly { readonly text: string; readonly lines: readonly string[] }[];
  run(context: SubcommandContext): void;
}

/** Options every subcommand takes, handled here. */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  { long: 'verbose', short: 'v', kind: 'flag', help: 'Show every command run (also DH_VERBOSE=1).' },
  { long: 'help', short: 'h', kind: 'flag', help: 'Show this help and exit.' },
];

export function optionsOf(subcommand: Subcommand): readonly OptionSpec[] {
  return [...subcommand.options, ...COMMON_OPTIONS];
}

/**
 * Reads words GNU getopt_long's way: `--name=value`, `--name value`, `-x value`, `-xvalue`, clustered flags
 * (`-vf`), and `--` before operands that start with a dash. `command` names the command in the messages.
 */
export function parseWords(
  words: readonly string[],
  specs: readonly OptionSpec[],
  command: string,
): ParsedWords {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const operands: string[] = [];
  const record = (spec: OptionSpec, value: string | undefined): void => {
    if (spec.kind === 'flag') flags.add(spec.long);
    else if (spec.kind === 'value') values.set(spec.long, value ?? '');
    else lists.set(spec.long, [...(lists.get(spec.long) ?? []), value ?? '']);
  };
  const unknown = (word: string): never => {
    throw new UsageError(`unknown option ${word} (see ${command} --help for the options it takes)`);
  };

  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const takeValue = (spec: OptionSpec, label: string): string => {
      const next = words[i + 1];
      if (next === undefined)
        throw new UsageError(`option ${label} needs a value (${spec.metavar ?? 'VALUE'})`);
      i++;
      return next;
    };
    if (word === '--') {
      operands.push(...words.slice(i + 1));
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = word.slice(2, eq === -1 ? undefined : eq);
      const spec = specs.find((candidate) => candidate.long === name) ?? unknown(word);
      if (spec.kind === 'flag') {
        if (eq !== -1) throw new UsageError(`option --${name} takes no value`);
        record(spec, undefined);
      } else {
        record(spec, eq === -1 ? takeValue(spec, word) : word.slice(eq + 1));
      }
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      for (let c = 1; c < word.length; c++) {
        const letter = word.charAt(c);
        const spec = specs.find((candidate) => candidate.short === letter) ?? unknown(`-${letter}`);
        if (spec.kind === 'flag') {
          record(spec, undefined);
          continue;
        }
        const rest = word.slice(c + 1);
        record(spec, rest === '' ? takeValue(spec, `-${letter}`) : rest);
        break;
      }
      continue;
    }
    operands.push(word);
  }
  return { flags, values, lists, operands };
}

export function overviewHelp(program: string, subcommands: readonly Subcommand[]): string {
  return (
    `Usage: ${program} <command> [options]\n\n` +
    'Commands:\n' +
    rows(subcommands.map((subcommand) => [subcommand.name, subcommand.summary])) +
    `\nRun "${program} <command> --help" for the options of a command.\n`
  );
}

export function subcommandHelp(program: string, subcommand: Subcommand): string {
  return (
    `Usage: ${program} ${subcommand.name} [options]\n\n` +
    subcommand.description.map((paragraph) => fillWords(paragraph, 100).join('\n') + '\n\n').join('') +
    'Options:\n' +
    rows(optionsOf(subcommand).map((spec) => [optionLabel(spec), spec.help]))
  );
}

/**
 * Finds the subcommand named by the first word, parses the rest against its options and runs it. Returns the
 * exit code: 0, or the code of the DhVirtualenvError that stopped it (2 for usage errors).
 */
export function runSubcommands(
  program: string,
  subcommands: readonly Subcommand[],
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): number {
  const [first, ...rest] = argv;
  const subcommand = subcommands.find((candidate) => candidate.name === first);
  let logger = consoleLogger(
    env.DH_VERBOSE === '1',
    subcommand === undefined ? program : `${program} ${first}`,
  );
  try {
    if (subcommand === undefined) {
      if (first === '--help' || first === '-h') {
        process.stdout.write(overviewHelp(program, subcommands));
        return 0;
      }
      if (first === '--version') {
        process.stdout.write(`${program} ${VERSION}\n`);
        return 0;
      }
      const known = subcommands.map((candidate) => candidate.name).join(', ');
      throw new UsageError(
        first === undefined
          ? `which command? one of: ${known} (see ${program} --help)`
          : `unknown command "${first}"; the commands are: ${known} (see ${program} --help)`,
      );
    }
    const words = parseWords(rest, optionsOf(subcommand), `${program} ${subcommand.name}`);
    if (words.flags.has('help')) {
      process.stdout.write(subcommandHelp(program, subcommand));
      return 0;
    }
    logger = consoleLogger(
      words.flags.has('verbose') || env.DH_VERBOSE === '1',
      `${program} ${subcommand.name}`,
    );
    const hostEnv = withPipConfigurationLogged(env, logger);
    subcommand.run({
      words,
      runner: processRunner(logger),
      logger,
      env: hostEnv,
      cwd,
      now: () => new Date(),
    });
    return 0;
  } catch (error) {
    return reportFailure(error, logger);
  }
}
