/**
 * Running other programs from the end-to-end tests: asynchronously (the package index is served from this same
 * process, so the event loop must keep turning while pip downloads), in an environment built from nothing, with
 * the output kept for the assertion message.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Debian's interpreter, the one dh_virtualenv uses by default. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

export const SYSTEM_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Where scripts/install-build-deps.sh installs uv (from PyPI: Debian ships none) for the --installer uv tests,
 * in a venv of its own outside anything dpkg owns. Builds that need it add this directory to PATH.
 */
export const DEV_UV_DIR = '/usr/local/lib/dh-virtualenv-dev/uv/bin';

/**
 * The repository's top directory. The tests run bundled from build/test/e2e/, so it is found by walking up to
 * our package.json rather than by a fixed number of "..".
 */
export function repoRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'dh-virtualenv')
      return dir;
    if (dirname(dir) === dir) throw new Error(`no dh-virtualenv package.json above ${__dirname}`);
  }
}

export function fixturePath(...parts: string[]): string {
  return join(repoRoot(), 'test', 'fixtures', ...parts);
}

export type Env = Record<string, string>;

/**
 * The environment for every program the tests start, built from nothing rather than filtered from ours. The
 * machines these tests run on set PIP_FIND_LINKS, PIP_*, PYTHON* and VIRTUAL_ENV, put pyenv shims first on PATH,
 * and may carry DH_VERBOSE, DEB_BUILD_OPTIONS or a parent make's MAKEFLAGS; none of that may reach a build, or
 * a test would pass or fail because of the machine. Callers add what the test relies on (PIP_INDEX_URL, ...).
 */
export function hermeticEnv(extra: Env & { HOME: string }): Env {
  return {
    PATH: SYSTEM_PATH,
    LC_ALL: 'C.UTF-8',
    LANG: 'C.UTF-8',
    DEBIAN_FRONTEND: 'noninteractive',
    ...(process.env.TMPDIR === undefined ? {} : { TMPDIR: process.env.TMPDIR }),
    ...extra,
  };
}

export interface ProcessResult {
  readonly argv: readonly string[];
  readonly cwd: string | undefined;
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved as they came, like a build log. */
  readonly output: string;
}

export interface ProcessOptions {
  readonly cwd?: string;
  readonly env: Env;
}

export function runProcess(argv: readonly string[], options: ProcessOptions): Promise<ProcessResult> {
  const [program, ...args] = argv;
  if (program === undefined) throw new Error('runProcess: empty command');
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let output = '';
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      output += chunk;
    });
    const finish = (status: number | null, signal: NodeJS.Signals | null, error?: Error): void =>
      resolve({
        argv,
        cwd: options.cwd,
        status,
        signal,
        stdout,
        stderr: error === undefined ? stderr : `${stderr}${error.message}\n`,
        output: error === undefined ? output : `${output}${error.message}\n`,
      });
    child.once('error', (error) => finish(null, null, error));
    child.once('close', (status, signal) => finish(status, signal));
  });
}

export function tail(text: string, lines = 60): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function describeResult(result: ProcessResult): string {
  const how = result.signal === null ? `exit code ${result.status ?? 'none'}` : `signal ${result.signal}`;
  const where = result.cwd === undefined ? '' : ` in ${result.cwd}`;
  return `${result.argv.join(' ')}${where} ended with ${how}; last lines of its output:\n${tail(result.output)}`;
}

/** Fails the test with the tail of the command's output, so the CI log shows why. */
export function assertSucceeded(result: ProcessResult, what: string): void {
  assert.ok(result.status === 0, `${what} failed: ${describeResult(result)}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
