/**
 * Fetching with pip: what the builds install, what building needs, and the offline runs that find what a build
 * asks for beyond what it declares; every file into one temporary directory, and the lock's entries for them.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { childEnvironment } from '../build/child-environment';
import { CommandFailedError, ConfigurationError } from '../core/errors';
import { buildRequires } from '../init/pyproject';
import { parseToml } from '../init/toml';
import { findProgram, type Interpreter } from '../core/interpreter';
import { keepingSourceTree } from '../build/source-tree';
import { pipFromWheel } from '../build/venv-creation';
import {
  distributionOf,
  isDistributionFile,
  sha256Of,
  WHEELHOUSE_DIR,
  type LockedFile,
  type WheelhouseLock,
} from '../build/wheelhouse';
import {
  downloadArgv,
  downloadRuns,
  lockConstraints,
  missingRequirement,
  type DownloadInputs,
  type DownloadRun,
  type DownloadSource,
} from './downloads';
import { note, type VendorContext } from './context';
import type { PackageInputs } from './inputs';

/** Building a sdist may ask for more than it declares; this many rounds of finding those is plenty. */
const MAX_ROUNDS = 10;

/**
 * uv as locked (the lock's constraints hold it), else the version of the uv on PATH (what the maintainer tried
 * the build with), else the newest.
 */
function uvRequirement(context: VendorContext, previous: WheelhouseLock | undefined): string {
  if (previous?.files.some((entry) => entry.name === 'uv') === true) return 'uv';
  const onPath = findProgram('uv', context.env.PATH);
  if (onPath === undefined) return 'uv';
  const version = /^uv (\S+)/.exec(
    context.runner.capture([onPath, '--version'], { env: childEnvironment(context.env).env }),
  );
  return version === null ? 'uv' : `uv==${version[1] ?? ''}`;
}

/** The project's PEP 518 build requirements (its build runs in the package build too). */
function projectBuildRequirements(sourceDir: string): string[] {
  const path = join(sourceDir, 'pyproject.toml');
  const pyproject = existsSync(path) ? parseToml(readFileSync(path, 'utf8'), path) : undefined;
  return buildRequires(pyproject);
}

export interface FetchRun {
  readonly inputs: readonly PackageInputs[];
  readonly previous: WheelhouseLock | undefined;
  /** The temporary directory of this run. */
  readonly work: string;
  readonly python: Interpreter;
  /** The index options as pip's words and variables (credentials.ts). */
  readonly index: { readonly args: readonly string[]; readonly env: Readonly<Record<string, string>> };
}

/** The pip runs of one vendor run, sharing its files directory, pins, index and environment. */
interface Fetcher {
  /** Where the fetched files collect. */
  readonly files: string;
  /** Fetches from the index (and the files vendored before) into `files`. */
  download(what: string, input: PackageInputs, run: DownloadRun): void;
  /** Runs pip as the build will, from `files` alone; returns what it could not find, or undefined. */
  missingOffline(input: PackageInputs, run: DownloadRun): string | undefined;
}

function fetcher(context: VendorContext, run: FetchRun): Fetcher {
  const { previous, work, python, index } = run;
  const files = join(work, 'files');
  mkdirSync(files);
  const locked = lockConstraints(previous, context.options.upgrade);
  const wheelhouse = join(context.packageDir, WHEELHOUSE_DIR);
  const env = { ...childEnvironment(context.env).env, ...index.env };
  const pip = [python.path, pipFromWheel()];
  let constraintFiles = 0;
  const sourceOf = (input: PackageInputs, wanted: DownloadRun, online: boolean): DownloadSource => {
    const pins = [...(online && !wanted.hashed ? locked : []), ...wanted.pins];
    const pinned = join(work, `constraints-${++constraintFiles}.txt`);
    if (pins.length > 0) writeFileSync(pinned, pins.map((pin) => `${pin}\n`).join(''));
    const constraints = [
      ...(pins.length > 0 ? [pinned] : []),
      ...(input.buildConstraints !== undefined && !wanted.hashed ? [input.buildConstraints] : []),
    ];
    const findLinks = online ? (existsSync(wheelhouse) ? [wheelhouse] : []) : [files];
    return { online, findLinks, constraints };
  };
  return {
    files,
    download(what, input, wanted) {
      note(context, `${input.packageName}: ${what}`);
      const argv = downloadArgv(pip, files, wanted.inputs, sourceOf(input, wanted, true), index.args);
      keepingSourceTree(input.sourceDir, () => context.runner.run(argv, { env, cwd: input.sourceDir }));
      keepLockedCopies(context, files, previous);
    },
    missingOffline(input, wanted) {
      const check = join(work, 'check');
      const argv = downloadArgv(pip, check, wanted.inputs, sourceOf(input, wanted, false), []);
      // As in the build, the build constraints reach the pip that sets up each isolated build.
      const checkEnv =
        input.buildConstraints === undefined ? env : { ...env, PIP_CONSTRAINT: input.buildConstraints };
      return offlineCheck(context, argv, check, input.sourceDir, checkEnv);
    },
  };
}

function runsOf(input: PackageInputs): DownloadRun[] {
  return downloadRuns(
    input,
    new Map(input.requirementFiles.map((path) => [path, readFileSync(path, 'utf8')])),
  );
}

function only(specs: string[]): DownloadRun {
  return { inputs: { requirementFiles: [], specs }, hashed: false, pins: [] };
}

/**
 * Fetches what the builds install, then what building needs: each project's declared build requirements and
 * uv for --installer uv, then, round by round, whatever an offline run from the files so far says is missing.
 * Returns the files.
 */
export function fetchAll(context: VendorContext, run: FetchRun): LockedFile[] {
  const fetch = fetcher(context, run);
  for (const input of run.inputs) {
    for (const wanted of runsOf(input)) {
      fetch.download(`fetching ${describeInputs(input, wanted.inputs)}`, input, wanted);
    }
  }
  const forInstall = new Set(readdirSync(fetch.files));
  for (const input of run.inputs.filter((candidate) => candidate.project)) {
    const needs = projectBuildRequirements(input.sourceDir);
    if (needs.length > 0) {
      fetch.download(`fetching the project's build requirements: ${needs.join(' ')}`, input, only(needs));
    }
  }
  const uvUser = run.inputs.find((input) => input.uv);
  if (uvUser !== undefined) {
    const wanted = uvRequirement(context, run.previous);
    fetch.download(`fetching ${wanted} for --installer uv`, uvUser, only([wanted]));
  }
  for (const input of run.inputs) {
    for (const wanted of runsOf(input)) fetchWhatBuildsMiss(context, fetch, input, wanted);
  }
  return lockedFiles(fetch.files, forInstall);
}

/** Offline runs, each fetching what the one before missed, until none misses anything. */
function fetchWhatBuildsMiss(
  context: VendorContext,
  fetch: Fetcher,
  input: PackageInputs,
  wanted: DownloadRun,
): void {
  for (let round = 1; ; round++) {
    note(context, `${input.packageName}: checking that the files fetched build without an index`);
    const missing = fetch.missingOffline(input, wanted);
    if (missing === undefined) return;
    if (round === MAX_ROUNDS) {
      throw new ConfigurationError(
        `still missing ${missing} after ${MAX_ROUNDS} rounds of fetching what builds need; add it with --include`,
      );
    }
    fetch.download(`fetching ${missing}, which a build asks for`, input, only([missing]));
  }
}

/** The lock's entries for the files fetched: those of the install runs are installed, the others build. */
function lockedFiles(files: string, forInstall: ReadonlySet<string>): LockedFile[] {
  return readdirSync(files)
    .filter(isDistributionFile)
    .map((file): LockedFile => {
      const distribution = distributionOf(file);
      if (distribution === undefined) {
        throw new ConfigurationError(
          `pip fetched ${file}, whose name says no name and version; vendor it by hand`,
        );
      }
      const use = forInstall.has(file) ? 'install' : 'build';
      return { ...distribution, file, sha256: sha256Of(join(files, file)), use };
    });
}

/**
 * A file name on an index stands for one content (PyPI never lets a file be replaced), so a fetched file whose
 * name is locked with another sha256 is not taken: the locked copy stays, and the user hears of it (a rebuilt
 * wheel on a private index, or worse).
 */
function keepLockedCopies(context: VendorContext, files: string, previous: WheelhouseLock | undefined): void {
  const wheelhouse = join(context.packageDir, WHEELHOUSE_DIR);
  for (const entry of previous?.files ?? []) {
    const fetched = join(files, entry.file);
    const locked = join(wheelhouse, entry.file);
    if (!existsSync(fetched) || !existsSync(locked) || sha256Of(locked) !== entry.sha256) continue;
    const sha256 = sha256Of(fetched);
    if (sha256 === entry.sha256) continue;
    context.logger.log({
      kind: 'warning',
      message:
        `the index serves ${entry.file} with sha256 ${sha256}, not the ${entry.sha256} locked; keeping the ` +
        'locked file (if the new one is wanted, delete the locked file and run vendor again)',
    });
    copyFileSync(locked, fetched);
  }
}

function describeInputs(input: PackageInputs, wanted: DownloadInputs): string {
  return [
    ...wanted.requirementFiles.map((path) => basename(path)),
    ...(input.project && wanted.specs.some((spec) => spec.startsWith('.'))
      ? ["the project's dependencies"]
      : []),
    ...wanted.specs.filter((spec) => !spec.startsWith('.')),
  ].join(', ');
}

/** Runs pip as the build will, from the files alone; returns what it could not find, or undefined if none. */
function offlineCheck(
  context: VendorContext,
  argv: readonly string[],
  dest: string,
  sourceDir: string,
  env: Readonly<Record<string, string>>,
): string | undefined {
  rmSync(dest, { recursive: true, force: true });
  try {
    keepingSourceTree(sourceDir, () => context.runner.capture(argv, { env, cwd: sourceDir }));
    return undefined;
  } catch (error) {
    if (!(error instanceof CommandFailedError)) throw error;
    const missing = missingRequirement(error.stderrTail);
    if (missing === undefined) {
      throw new ConfigurationError(
        `pip could not use the files it fetched, without an index:\n${error.stderrTail}`,
      );
    }
    return missing;
  }
}
