// Shared by the unit tests: parsed options, throw-away directories, and a Runner/Logger that only record.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from '../../src/core/errors';
import type { LogEntry, Logger } from '../../src/core/log';
import { parseOptions, type OptionEnvironment, type Options } from '../../src/build/options';
import type { RunOptions, Runner } from '../../src/core/runner';

/** Options as dh_virtualenv would see them for this command line and environment. */
export function optionsFrom(argv: readonly string[], env: OptionEnvironment = {}): Options {
  const result = parseOptions(argv, env);
  assert.ok(result.action === 'build', `expected a build for ${argv.join(' ')}, got ${result.action}`);
  return result.options;
}

/** Asserts that `action` throws a UsageError whose message matches `message`. */
export function assertUsageError(action: () => unknown, message: RegExp): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    assert.match(error.message, message);
    return true;
  });
}

let root: string | undefined;

/** A fresh directory (its real path, no symlinks), removed when the test process exits. */
export function tempDir(name = 'case'): string {
  if (root === undefined) {
    const made = realpathSync(mkdtempSync(join(tmpdir(), 'dhvt-unit-')));
    process.on('exit', () => rmSync(made, { recursive: true, force: true }));
    root = made;
  }
  return realpathSync(mkdtempSync(join(root, `${name}-`)));
}

/** Writes a file, creating its directory; `mode` 0o755 for executables. */
export function writeFile(path: string, content: string | Buffer, mode = 0o644): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

export interface RecordedCall {
  readonly argv: readonly string[];
  readonly options: RunOptions;
  readonly capture: boolean;
}

/** A Runner that records each call and answers through `respond` (default: empty output). */
export function recordingRunner(
  respond: (argv: readonly string[], options: RunOptions) => string | undefined = () => '',
): Runner & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  return {
    calls,
    run(argv, options) {
      calls.push({ argv, options, capture: false });
      respond(argv, options);
    },
    capture(argv, options) {
      calls.push({ argv, options, capture: true });
      return respond(argv, options) ?? '';
    },
  };
}

export function recordingLogger(verbose = false): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return { verbose, entries, log: (entry) => void entries.push(entry) };
}
