/**
 * The builds `npm run bench` measures: a package build with upstream's or our dh_virtualenv, timed step by
 * step (bench/step-timer.ts), and the floor (bench/compare/floor.ts), each turned into an Outcome for the
 * tables. A failed build is an Outcome too, with the step that failed and the line that says why.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEBIAN_WHEELS } from '../../src/build/venv-creation';
import {
  debField,
  debPaths,
  keepTemporaryFiles,
  type BuildOptions,
  type Suite,
} from '../../test/e2e/harness';
import { DEV_UV_DIR, type Env } from '../../test/e2e/processes';
import type { Wheelhouse } from '../real-world/wheelhouse';
import { childrenCpuSeconds, readStepLog, STEP_LOG_VARIABLE, type StepTime } from '../step-timer';
import { buildFloor, resolveFloorFiles, type FloorInputs } from './floor';
import {
  BARE,
  writeRules,
  writeSourcePackage,
  type BenchProject,
  type Compression,
  type Variant,
} from './projects';
import type { DebFacts, Outcome } from './report';

/** What every build of the run shares. */
export interface Bench {
  readonly suite: Suite;
  readonly wheelhouse: Wheelhouse;
  readonly work: string;
  readonly architecture: string;
  /** Failed builds' logs are copied here (made on the first failure, kept). */
  logs?: string;
  /** What each step timer costs beyond what it reports (see unreportedOverhead), measured every round. */
  unreportedSeconds: number;
}

/** How pip reaches the project's distributions, in the package builds and in the floor. */
interface PipSource {
  readonly buildOptions: BuildOptions;
  /** pip's arguments for the same source, to resolve the floor's files. */
  readonly resolveArgs: readonly string[];
  /** Where the floor's build isolation finds setuptools and wheel. */
  readonly findLinks: string;
}

function pipSource(bench: Bench, project: BenchProject): PipSource {
  if ('fixture' in project.source) {
    // The index serves Debian's own wheels too, the build isolation's setuptools among them.
    return {
      buildOptions: {},
      resolveArgs: ['--index-url', bench.suite.index.url],
      findLinks: DEBIAN_WHEELS,
    };
  }
  const dir = bench.wheelhouse.dir;
  return {
    buildOptions: { noIndexEnv: true, env: bench.wheelhouse.buildEnv() },
    resolveArgs: ['--no-index', '--find-links', dir],
    findLinks: dir,
  };
}

/** A fresh source tree of `project` whose debian/rules ask for `variant`, alone in a new directory. */
function makeSource(bench: Bench, project: BenchProject, variant: Variant): string {
  if ('fixture' in project.source) {
    const copy = bench.suite.copyFixture(project.source.fixture);
    writeRules(copy, variant);
    return copy;
  }
  const sourceDir = join(mkdtempSync(join(bench.work, `${project.name}-`)), 'src');
  writeSourcePackage(sourceDir, project, variant);
  return sourceDir;
}

async function debFacts(deb: string): Promise<DebFacts> {
  return {
    bytes: statSync(deb).size,
    installedKiB: Number(await debField(deb, 'Installed-Size')),
    files: (await debPaths(deb)).length,
  };
}

/** The line of a failed build's log that says what went wrong: its first "error:", else its last line. */
function errorLine(log: string): string {
  const lines = log
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.find((line) => /(^|[\s:])(fatal )?error:/i.test(line)) ?? lines.at(-1) ?? '(no output)';
}

/** Keeps a failed build's log (`text`) as `name` in the run's log directory, made on the first failure. */
function keepLog(bench: Bench, name: string, text: string): string {
  bench.logs ??= mkdtempSync(join(tmpdir(), 'dhvt-bench-logs-'));
  const kept = join(bench.logs, name);
  writeFileSync(kept, text);
  return kept;
}

function tidy(dir: string): void {
  if (!keepTemporaryFiles()) rmSync(dir, { recursive: true, force: true });
}

/**
 * `dpkg-buildpackage -us -uc -b` of `project` built as `variant` asks, with the tool `toolEnv` puts first on
 * PATH (and PERL5LIB), timed step by step; `label` names its log if it fails.
 */
export async function packageBuild(
  bench: Bench,
  project: BenchProject,
  toolEnv: Env,
  variant: Variant,
  label: string,
): Promise<Outcome> {
  const sourceDir = makeSource(bench, project, variant);
  const parent = dirname(sourceDir);
  const home = join(parent, 'home');
  mkdirSync(home);
  const stepLog = join(parent, 'steps.jsonl');
  const source = pipSource(bench, project);
  let deb: string | undefined;
  const cpuBefore = childrenCpuSeconds();
  const started = performance.now();
  try {
    const build = await bench.suite.buildSourceDir(sourceDir, {
      ...source.buildOptions,
      env: {
        ...source.buildOptions.env,
        ...toolEnv,
        // dh_virtualenv --installer uv runs the uv on PATH: the tests' copy, after everything else.
        ...(variant.installer === 'uv' ? { PATH: `${toolEnv.PATH}:${DEV_UV_DIR}` } : {}),
        HOME: home,
        [STEP_LOG_VARIABLE]: stepLog,
      },
    });
    deb = build.deb(project.pkg);
  } catch {
    // Told from build.log below.
  }
  const wall = (performance.now() - started) / 1000;
  const cpu = childrenCpuSeconds() - cpuBefore;
  const records = readStepLog(stepLog);
  const overheadSeconds =
    records.reduce((sum, step) => sum + step.overheadSeconds, 0) + records.length * bench.unreportedSeconds;
  const steps = new Map<string, StepTime>();
  for (const step of records.filter((step) => !step.nested)) {
    const before = steps.get(step.step) ?? { seconds: 0, cpuSeconds: 0 };
    steps.set(step.step, {
      seconds: before.seconds + step.seconds,
      cpuSeconds: before.cpuSeconds + step.cpuSeconds,
    });
  }
  const outcome = {
    seconds: wall - overheadSeconds,
    overheadSeconds,
    cpuSeconds: cpu - records.reduce((sum, step) => sum + step.overheadCpuSeconds, 0),
    steps,
    peakKiB: Math.max(
      0,
      ...records.filter((step) => step.step === 'dh_virtualenv').map((step) => step.peakKiB),
    ),
  };
  try {
    if (deb !== undefined) return { ...outcome, deb: await debFacts(deb) };
    const log = join(parent, 'build.log');
    const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
    const step = records.filter((record) => !record.nested && record.status !== 0).at(-1)?.step;
    return {
      ...outcome,
      failure: {
        ...(step === undefined ? {} : { step }),
        line: errorLine(text),
        log: keepLog(bench, label, text),
      },
    };
  } finally {
    tidy(parent);
  }
}

/** The floor of `inputs` with `compression`; `label` names its log if it fails. */
export async function floorBuild(
  bench: Bench,
  inputs: FloorInputs,
  compression: Compression,
  label: string,
): Promise<Outcome> {
  const cpuBefore = childrenCpuSeconds();
  const started = performance.now();
  try {
    const floor = await buildFloor(inputs, compression, bench.architecture, bench.work);
    const cpuSeconds = childrenCpuSeconds() - cpuBefore;
    try {
      const { seconds, steps, peakKiB } = floor;
      return { seconds, overheadSeconds: 0, cpuSeconds, steps, peakKiB, deb: await debFacts(floor.deb) };
    } finally {
      tidy(dirname(floor.deb));
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      seconds: (performance.now() - started) / 1000,
      overheadSeconds: 0,
      cpuSeconds: childrenCpuSeconds() - cpuBefore,
      steps: new Map(),
      peakKiB: 0,
      failure: { line: errorLine(message), log: keepLog(bench, label, message) },
    };
  }
}

/** The floor's inputs for `project`: a pristine source tree, and its requirements resolved to files, once. */
export async function prepareFloor(bench: Bench, project: BenchProject): Promise<FloorInputs> {
  const projectDir = makeSource(bench, project, BARE);
  const filesDir = join(dirname(projectDir), 'floor-files');
  mkdirSync(filesDir);
  const source = pipSource(bench, project);
  await resolveFloorFiles(bench.work, join(projectDir, 'requirements.txt'), source.resolveArgs, filesDir);
  return { pkg: project.pkg, filesDir, findLinks: source.findLinks, projectDir };
}
