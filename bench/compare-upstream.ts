/**
 * Speed and size against upstream and against the floor (issue 11): builds each project's source package
 * with the bare rules (`dh $@ --with python-virtualenv`, compat 11) alternately with Debian's dh-virtualenv
 * 1.2.2, with ours (one build per variant asked for) and by hand (the floor, bench/compare/floor.ts), round
 * after round, and prints per project a table of measures with ratios, the wall and CPU seconds of every
 * dh_* step, and the targets of issue 11 with met or missed. Nothing is installed but missing build
 * dependencies.
 *
 *     npm run bench                                  # every project, 3 rounds, ours with the bare rules
 *     npm run bench -- --rounds 1 hello web          # some projects: hello, web, data, psycopg2
 *     npm run bench -- --variants default,without-pip+zstd,uv+without-pip+zstd
 *     npm run bench -- --no-step-timers              # plain builds: no per-step tables, nothing taken out
 *     npm run bench -- --cache /srv/cache            # download cache instead of ~/.cache/dh-virtualenv-bench
 *
 * A variant is "default" or words joined by "+": without-pip (dh_virtualenv --without-pip), uv
 * (--installer=uv, with the uv scripts/install-build-deps.sh installs), zstd or gzip (override_dh_builddeb:
 * dh_builddeb -- -Z…); the floor then uses the same compression. Upstream always builds with the bare rules.
 *
 * Every pip run reads from a local source, so the network is out of the measurement: hello from the tests'
 * package index on 127.0.0.1, the others from the download cache of bench/real-world/wheelhouse.ts (filled
 * once from PyPI) with PIP_NO_INDEX=1. Each build gets a fresh HOME, so no pip, uv or virtualenv cache carries
 * over from one build to the next, as on a clean build machine. The interpreter is Debian's /usr/bin/python3.
 *
 * Wall time is dpkg-buildpackage's, minus what the step timers (bench/step-timer.ts) cost; CPU time is that
 * of all its processes, minus the timers' own. Needs root (apt-get), Debian's archive for `apt-get download
 * dh-virtualenv` (see test/e2e/upstream-dh-virtualenv.ts), and PyPI for what the cache lacks.
 * DHVT_E2E_KEEP=1 keeps the work directory.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { aptInstall, keepTemporaryFiles, missingPackages, startSuite } from '../test/e2e/harness';
import { DEV_UV_DIR, hermeticEnv, runProcess, SYSTEM_PATH, type Env } from '../test/e2e/processes';
import { fetchUpstream } from '../test/e2e/upstream-dh-virtualenv';
import { floorBuild, packageBuild, prepareFloor, type Bench } from './compare/builds';
import type { FloorInputs } from './compare/floor';
import {
  BARE,
  COMMON_PACKAGES,
  parseVariant,
  PROJECTS,
  VARIANT_WORD_LIST,
  type BenchProject,
  type Variant,
} from './compare/projects';
import {
  floorColumn,
  oursColumn,
  projectTable,
  record,
  stepTable,
  targets,
  UPSTREAM,
  type Outcome,
  type Results,
} from './compare/report';
import { defaultCacheRoot, Wheelhouse } from './real-world/wheelhouse';
import { installStepTimers, unreportedOverhead } from './step-timer';

/** The command line asks for something this bench does not know; exit code 2. */
class UsageError extends Error {}

interface Arguments {
  readonly rounds: number;
  readonly variants: readonly Variant[];
  readonly projects: readonly BenchProject[];
  readonly cacheRoot: string;
  /** --no-step-timers: plain builds, for wall times without the timers' correction and no per-step table. */
  readonly stepTimers: boolean;
}

function parseArguments(argv: readonly string[]): Arguments {
  let rounds = 3;
  let stepTimers = true;
  let variants: Variant[] = [BARE];
  let cacheRoot = defaultCacheRoot();
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [option, inline] = (argv[i] ?? '').split(/=(.*)/s, 2);
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new UsageError(`${option} needs a value`);
      return next;
    };
    if (option === '--rounds') {
      rounds = Number(value());
      if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError('--rounds needs a whole number ≥ 1');
    } else if (option === '--variants') {
      variants = value()
        .split(',')
        .map((name) => {
          const variant = parseVariant(name);
          if (variant === undefined) {
            throw new UsageError(`unknown variant ${name}: "default", or ${VARIANT_WORD_LIST} joined by +`);
          }
          return variant;
        });
    } else if (option === '--cache') cacheRoot = value();
    else if (option === '--no-step-timers') stepTimers = false;
    else if (option?.startsWith('-')) throw new UsageError(`unknown option ${option}`);
    else if (option !== undefined) names.push(option);
  }
  const projects = names.length === 0 ? PROJECTS : PROJECTS.filter((project) => names.includes(project.name));
  const unknown = names.filter((name) => !PROJECTS.some((project) => project.name === name));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown project ${unknown.join(', ')}; known: ${PROJECTS.map((p) => p.name).join(', ')}`,
    );
  }
  if (variants.some((variant) => variant.installer === 'uv') && !existsSync(join(DEV_UV_DIR, 'uv'))) {
    throw new UsageError(`no ${DEV_UV_DIR}/uv for the uv variants: run scripts/install-build-deps.sh`);
  }
  return { rounds, variants, projects, cacheRoot, stepTimers };
}

/** Fills the download cache for the projects that install from it (hello uses the tests' index). */
async function fillWheelhouse(wheelhouse: Wheelhouse, projects: readonly BenchProject[]): Promise<void> {
  // The shell projects' setup.py is built by pip with these; the name and list are bench:native's, so that
  // the two share the download.
  const wanted: [string, readonly string[]][] = [['shell-project', ['setuptools', 'wheel']]];
  for (const project of projects) {
    if ('row' in project.source) wanted.push([project.source.row, project.requirements]);
  }
  for (const [name, requirements] of wanted) {
    if (wheelhouse.has(name, requirements)) continue;
    progress(`downloading ${name} into ${wheelhouse.dir}`);
    const failed = await wheelhouse.download(name, requirements);
    if (failed !== undefined) throw new Error(`downloading ${name} failed:\n${failed.output.slice(-3000)}`);
  }
}

async function dpkgArchitecture(): Promise<string> {
  const result = await runProcess(['dpkg', '--print-architecture'], { env: hermeticEnv({ HOME: tmpdir() }) });
  return result.stdout.trim();
}

function progress(text: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);
}

function describe(outcome: Outcome): string {
  const seconds = `${outcome.seconds.toFixed(1)} s`;
  const failure = outcome.failure;
  return failure === undefined
    ? seconds
    : `FAILED in ${failure.step ?? 'the build'} after ${seconds}: ${failure.line}`;
}

/** The environment that puts a tool's dh_virtualenv first on PATH, behind the step timers unless turned off. */
function toolEnv(args: Arguments, work: string, name: string, env: Env & { PATH: string }): Env {
  if (!args.stepTimers) return env;
  const timers = join(work, `step-timers-${name}`);
  installStepTimers(timers, env.PATH);
  return { ...env, PATH: `${timers}:${env.PATH}` };
}

/** Every build of every round, alternating upstream, ours and the floor so that load drifts touch all alike. */
async function runRounds(
  args: Arguments,
  bench: Bench,
  tools: { readonly upstream: Env; readonly ours: Env },
): Promise<Results> {
  const floors = new Map<string, FloorInputs>();
  for (const project of args.projects) {
    progress(`${project.name}: resolving the floor's files`);
    floors.set(project.name, await prepareFloor(bench, project));
  }
  const compressions = [...new Set(args.variants.map((variant) => variant.compression))];
  const results: Results = new Map();
  for (let round = 1; round <= args.rounds; round++) {
    if (args.stepTimers) {
      bench.unreportedSeconds = unreportedOverhead(join(bench.work, 'step-timer-calibration'));
      progress(
        `round ${round}: a step timer costs ${(bench.unreportedSeconds * 1000).toFixed(0)} ms unreported`,
      );
    }
    for (const project of args.projects) {
      const run = async (column: string, build: (label: string) => Promise<Outcome>): Promise<void> => {
        const what = `round ${round}/${args.rounds}: ${project.name}: ${column}`;
        progress(`${what} …`);
        const outcome = await build(`${project.name}-${column.replace(/\W+/g, '-')}-${round}.log`);
        record(results, project.name, column, outcome);
        progress(`${what}: ${describe(outcome)}`);
      };
      if (round === 1 || project.upstreamFails === undefined) {
        await run(UPSTREAM, (label) => packageBuild(bench, project, tools.upstream, BARE, label));
      }
      for (const variant of args.variants) {
        await run(oursColumn(variant), (label) => packageBuild(bench, project, tools.ours, variant, label));
      }
      const inputs = floors.get(project.name);
      for (const compression of compressions) {
        if (inputs === undefined) continue;
        await run(floorColumn(compression), (label) => floorBuild(bench, inputs, compression, label));
      }
    }
  }
  return results;
}

function printReport(args: Arguments, upstreamVersion: string, results: Results, load: string): void {
  console.log(
    `## dh-virtualenv: upstream ${upstreamVersion} (Debian's) against ours and the floor\n\n` +
      `${args.rounds} round(s) on ${cpus().length} CPUs, load average (1, 5, 15 min) ${load}. Wall times are ` +
      "dpkg-buildpackage's, medians unless said; CPU time is user + system of all the build's processes; " +
      'sizes in MiB. The floor: python3 -m venv --without-pip, pip install --no-deps --no-index of the same ' +
      'files, dpkg-deb --build with the same compression.\n',
  );
  for (const project of args.projects) {
    for (const variant of args.variants) console.log(`${projectTable(project, variant, results)}\n`);
    if (!args.stepTimers) continue;
    console.log(`${stepTable(project, results, 'seconds')}\n`);
    console.log(`${stepTable(project, results, 'cpuSeconds')}\n`);
  }
  console.log(targets(args.projects, args.variants, results));
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  // The suite checks at close that no test package was left installed. The bench installs none, but other
  // developers' tests on this machine do, and the check would blame the bench for them (the harness's switch).
  process.env.DHVT_E2E_SHARED_HOST = '1';
  const missing = await missingPackages([
    ...new Set([...COMMON_PACKAGES, ...args.projects.flatMap((project) => project.buildDepends)]),
  ]);
  if (missing.length > 0) {
    progress(`installing ${missing.join(' ')}`);
    await aptInstall(missing);
  }
  const wheelhouse = new Wheelhouse(args.cacheRoot);
  await fillWheelhouse(wheelhouse, args.projects);

  const work = mkdtempSync(join(tmpdir(), 'dhvt-bench-'));
  const suite = await startSuite({ projects: ['dhvt-greet'] });
  try {
    const upstreamDir = join(work, 'upstream');
    mkdirSync(upstreamDir);
    const upstream = await fetchUpstream(upstreamDir);
    if ('skip' in upstream) throw new Error(upstream.skip);
    const bench: Bench = {
      suite,
      wheelhouse,
      work,
      architecture: await dpkgArchitecture(),
      unreportedSeconds: 0,
    };
    const tools = {
      upstream: toolEnv(args, work, 'upstream', { ...upstream.env, PATH: upstream.env.PATH ?? SYSTEM_PATH }),
      ours: toolEnv(args, work, 'ours', { PATH: `${dirname(suite.dhVirtualenv)}:${SYSTEM_PATH}` }),
    };
    const load = (): string =>
      loadavg()
        .map((value) => value.toFixed(1))
        .join(' ');
    const loadBefore = load();
    const results = await runRounds(args, bench, tools);
    printReport(args, upstream.debianVersion, results, `${loadBefore} before, ${load()} after`);
    if (bench.logs !== undefined) console.log(`\nLogs of the failed builds: ${bench.logs}`);
  } finally {
    if (keepTemporaryFiles()) process.stderr.write(`DHVT_E2E_KEEP=1: kept ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
    await suite.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
