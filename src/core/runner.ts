import { spawnSync } from 'node:child_process';
import { CommandFailedError } from './errors';
import type { Logger } from './log';

export interface RunOptions {
  cwd?: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The one boundary to other processes. Commands are argument vectors, never shell strings; each is echoed in
 * verbose mode before it runs, and a failure becomes a CommandFailedError.
 */
export interface Runner {
  /** Runs with the build log as its output. */
  run(argv: readonly string[], options: RunOptions): void;
  /** Runs and returns standard output (trailing newline removed). */
  capture(argv: readonly string[], options: RunOptions): string;
}

const STDERR_TAIL_LINES = 15;

function tail(text: string): string {
  return text.trimEnd().split('\n').slice(-STDERR_TAIL_LINES).join('\n');
}

export function processRunner(logger: Logger): Runner {
  function spawn(argv: readonly string[], options: RunOptions, capture: boolean): string {
    logger.log({ kind: 'command', argv, ...(options.cwd === undefined ? {} : { cwd: options.cwd }) });
    const [program, ...args] = argv;
    if (program === undefined) throw new Error('internal error: empty command');
    const result = spawnSync(program, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const stderr = typeof result.stderr === 'string' ? result.stderr : '';
    if (result.error !== undefined) {
      throw new CommandFailedError(argv, null, null, '', result.error.message);
    }
    if (result.status !== 0) {
      throw new CommandFailedError(argv, result.status, result.signal, tail(stderr));
    }
    return typeof result.stdout === 'string' ? result.stdout.replace(/\n$/, '') : '';
  }

  return {
    run: (argv, options) => void spawn(argv, options, false),
    capture: (argv, options) => spawn(argv, options, true),
  };
}
