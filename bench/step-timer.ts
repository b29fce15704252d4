/**
 * Times every dh_* command of a package build, for `npm run bench`. installStepTimers() writes one small
 * executable per dh_* command found on the build's PATH into a directory that goes first on that PATH; each
 * runs the real command (the next one on PATH) under GNU time, and appends a JSON line to the file named by
 * DHVT_BENCH_STEP_LOG: the step, its wall and CPU seconds, the peak memory of its largest process, its exit
 * status, and what the wrapper itself cost (Node's start-up, 0.03-0.15 s a step on a busy machine), which the
 * bench takes out of the build's times.
 *
 * This file is also its own bundle (build/bench/step-timer.js), which every wrapper loads: nothing runs at
 * import.
 */
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  appendFileSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

/** Where the wrappers append their records; set in the build's environment. */
export const STEP_LOG_VARIABLE = 'DHVT_BENCH_STEP_LOG';

/** Set for the command a wrapper runs, so that a dh_* command run by another one is not counted twice. */
const INSIDE_STEP_VARIABLE = 'DHVT_BENCH_INSIDE_STEP';

/** What GNU time reports of a command and every process under it. */
export interface Usage {
  /** Peak resident set of the largest process, KiB (%M). */
  readonly peakKiB: number;
  /** User and system CPU seconds, summed over the processes (%U + %S). */
  readonly cpuSeconds: number;
}

/** A step's share of a build. */
export interface StepTime {
  readonly seconds: number;
  readonly cpuSeconds: number;
}

export interface StepRecord extends Usage, StepTime {
  /** The command's name, e.g. dh_strip_nondeterminism. */
  readonly step: string;
  readonly status: number;
  /** The wrapper's own wall time: its start-up and everything around the command. */
  readonly overheadSeconds: number;
  /** The wrapper's own CPU time, Node's start-up mostly. */
  readonly overheadCpuSeconds: number;
  /** Run by another timed step, whose times hold this one's. */
  readonly nested: boolean;
}

/** `argv` under GNU time, which writes its usage to `usageFile`; read it back with readUsage(). */
export function withUsage(argv: readonly string[], usageFile: string): string[] {
  return ['/usr/bin/time', '--quiet', '-f', '%M %U %S', '-o', usageFile, ...argv];
}

/** What withUsage() wrote (its last line: GNU time puts a note on a signal above it); zeros if nothing. */
export function readUsage(usageFile: string): Usage {
  const text = existsSync(usageFile) ? readFileSync(usageFile, 'utf8') : '';
  rmSync(usageFile, { force: true });
  const [peak, user, system] = (text.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { peakKiB: peak || 0, cpuSeconds: (user || 0) + (system || 0) };
}

/**
 * CPU seconds (user and system) of this process's children that have ended, and of theirs in turn: read
 * before and after a build, the difference is the build's CPU time, which another engineer's build on the
 * same cores disturbs much less than the wall time.
 */
export function childrenCpuSeconds(): number {
  // /proc/<pid>/stat: after the command name's closing parenthesis come the fields from the third (state)
  // on; cutime and cstime are the 16th and 17th, in clock ticks (USER_HZ, 100 on Linux).
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function pathDirs(path: string): string[] {
  return path.split(':').filter((dir) => dir !== '');
}

/**
 * Writes a wrapper for each dh_* command on `path` into `dir` (dh itself is left alone: its time is the whole
 * build). Only commands that exist get one, because dh skips a command it cannot find.
 */
export function installStepTimers(dir: string, path: string): void {
  mkdirSync(dir, { recursive: true });
  const names = new Set(
    pathDirs(path)
      .filter((pathDir) => existsSync(pathDir))
      .flatMap((pathDir) => readdirSync(pathDir).filter((name) => name.startsWith('dh_')))
      .filter((name) => pathDirs(path).some((pathDir) => isExecutable(join(pathDir, name)))),
  );
  for (const name of names) writeWrapper(dir, name);
}

function writeWrapper(dir: string, name: string): string {
  const wrapper = join(dir, name);
  const timer = resolve(__dirname, 'step-timer.js');
  // The interpreter by its full path: the build's PATH need not lead to a node.
  writeFileSync(
    wrapper,
    `#!${process.execPath}\nrequire(${JSON.stringify(timer)}).runTimedStep(${JSON.stringify(name)});\n`,
  );
  chmodSync(wrapper, 0o755);
  return wrapper;
}

/** The records a build's wrappers appended to `logFile`, in the order the steps ended. */
export function readStepLog(logFile: string): StepRecord[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as StepRecord);
}

function secondsOf(run: () => void): number {
  const started = performance.now();
  run();
  return (performance.now() - started) / 1000;
}

/**
 * What a wrapper costs that it cannot see itself: the exec before Node's clock starts, Node's exit, GNU time.
 * The median, over `runs` pairs, of (wrapped - direct - what the wrapper reported) for a command that does
 * nothing; the bench takes it out of the wall time once per step, besides the reported part.
 */
export function unreportedOverhead(dir: string, runs = 15): number {
  mkdirSync(dir, { recursive: true });
  const wrapper = writeWrapper(dir, 'true');
  const logFile = join(dir, 'calibration.jsonl');
  const env = { PATH: `${dir}:/usr/bin:/bin`, [STEP_LOG_VARIABLE]: logFile };
  const residuals: number[] = [];
  for (let run = 0; run < runs; run++) {
    rmSync(logFile, { force: true });
    const direct = secondsOf(() => spawnSync('/bin/true', { env }));
    const wrapped = secondsOf(() => spawnSync(wrapper, { env }));
    residuals.push(wrapped - direct - (readStepLog(logFile)[0]?.overheadSeconds ?? 0));
  }
  residuals.sort((a, b) => a - b);
  return Math.max(0, residuals[Math.floor(runs / 2)] ?? 0);
}

/** A wrapper's body: runs the real `step` (the next on PATH after the wrapper's directory) and logs it. */
export function runTimedStep(step: string): void {
  const own = dirname(resolve(process.argv[1] ?? '.'));
  const real = pathDirs(process.env.PATH ?? '')
    .filter((dir) => resolve(dir) !== own)
    .map((dir) => join(dir, step))
    .find(isExecutable);
  if (real === undefined) {
    process.stderr.write(`step-timer: no ${step} on PATH after ${own}\n`);
    process.exit(127);
  }
  const logFile = process.env[STEP_LOG_VARIABLE];
  const usageFile = `${logFile ?? join(own, step)}.${process.pid}.usage`;
  const [time = '', ...timeArgs] = withUsage([real, ...process.argv.slice(2)], usageFile);
  const started = performance.now();
  const result = spawnSync(time, timeArgs, {
    stdio: 'inherit',
    env: { ...process.env, [INSIDE_STEP_VARIABLE]: '1' },
  });
  const seconds = (performance.now() - started) / 1000;
  const status = result.status ?? 128;
  const cpu = process.cpuUsage();
  const record: StepRecord = {
    step,
    seconds,
    ...readUsage(usageFile),
    status,
    // performance.now() counts from the process's start, so this is everything but the command.
    overheadSeconds: performance.now() / 1000 - seconds,
    overheadCpuSeconds: (cpu.user + cpu.system) / 1e6,
    nested: process.env[INSIDE_STEP_VARIABLE] === '1',
  };
  if (logFile !== undefined) appendFileSync(logFile, `${JSON.stringify(record)}\n`);
  process.exitCode = status;
}
