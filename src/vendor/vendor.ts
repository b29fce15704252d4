/**
 * `dh-virtualenv vendor`: fetches every distribution file the package build needs into debian/wheelhouse/ and
 * records each in debian/wheelhouse/lock.toml (wheelhouse.ts), so that dh_virtualenv later builds from them
 * alone. Locked versions stay where they are unless --upgrade lets one move; a run that changes nothing
 * writes nothing. The files are first fetched into a temporary directory, and the wheelhouse is only updated
 * once everything was found, the lock last: an interrupted run leaves a wheelhouse that the build rejects and
 * that the next run repairs.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { childEnvironment } from '../build/child-environment';
import { CommandFailedError, ConfigurationError, UsageError } from '../core/errors';
import { buildRequires } from '../init/pyproject';
import { parseToml } from '../init/toml';
import { buildConstraintFiles } from '../build/build-constraints';
import { checkProject, projectTarget, requirementsPath } from '../build/installs';
import { findInterpreter, findProgram, type Interpreter } from '../core/interpreter';
import { packageLayout } from '../build/layout';
import { findLockFile, writeLockedRequirements } from '../build/lock-files';
import type { Logger } from '../core/log';
import { MARKER_ENVIRONMENT_PROBE, type MarkerEnvironment } from '../build/markers';
import { parseOptions, type Options } from '../build/options';
import { optionsOfPackages } from '../build/package-options';
import { selectPackages } from '../build/package-selection';
import type { Runner } from '../core/runner';
import { keepingSourceTree } from '../build/source-tree';
import { pipFromWheel } from '../build/venv-creation';
import {
  distributionOf,
  isDistributionFile,
  LOCK_FILE,
  readLock,
  renderLock,
  sha256Of,
  WHEELHOUSE_DIR,
  type LockedFile,
  type WheelhouseLock,
} from '../build/wheelhouse';
import { describeChanges } from './changes';
import {
  downloadArgv,
  downloadRuns,
  indexArguments,
  lockConstraints,
  missingRequirement,
  unknownUpgrades,
  type DownloadInputs,
  type DownloadRun,
  type DownloadSource,
} from './downloads';
import type { VendorOptions } from './options';

export interface VendorContext {
  readonly options: VendorOptions;
  readonly runner: Runner;
  readonly logger: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The top directory of the source package (the one holding debian/). */
  readonly packageDir: string;
}

/** Building a sdist may ask for more than it declares; this many rounds of finding those is plenty. */
const MAX_ROUNDS = 10;

function note(context: VendorContext, message: string): void {
  context.logger.log({ kind: 'note', message });
}

/** What one binary package's build installs, found as the build finds it. */
interface PackageInputs extends DownloadInputs {
  readonly packageName: string;
  readonly sourceDir: string;
  /** The project itself is installed (not --skip-install), so its build requirements are needed too. */
  readonly project: boolean;
  readonly python: Interpreter;
  /** --installer uv: the build needs uv, which Debian does not ship, so its wheel is vendored. */
  readonly uv: boolean;
  /** --build-constraints, as pip gets it (build-constraints.ts): what the build pins its build tools to. */
  readonly buildConstraints?: string;
}

/** dh_virtualenv's options as given to vendor, parsed by dh_virtualenv's own parser. */
function buildOptions(context: VendorContext): Options {
  const parsed = parseOptions(context.options.buildArgs, context.env);
  if (parsed.action !== 'build') throw new Error('internal error: vendor passed --help or --version on');
  for (const message of parsed.warnings) context.logger.log({ kind: 'warning', message });
  return parsed.options;
}

/** pip, setuptools and wheel upgrades the options ask for, as requirements. */
function upgradeRequirements(options: Options): string[] {
  const upgrades = [
    ['pip', options.upgradePip],
    ['setuptools', options.upgradeSetuptools],
    ['wheel', options.upgradeWheel],
  ] as const;
  return upgrades.flatMap(([name, upgrade]) => {
    if (upgrade.kind === 'none') return [];
    return [upgrade.kind === 'latest' ? name : `${name}==${upgrade.version}`];
  });
}

/**
 * The package's inputs as its build has them: the lock file converted as the build converts it (for the
 * interpreter's markers), else the requirements file; the project with its extras; --preinstall; upgrades.
 */
function packageInputs(
  context: VendorContext,
  packageName: string,
  options: Options,
  work: string,
): PackageInputs {
  const layout = packageLayout(packageName, options, context.packageDir);
  checkProject(layout, options);
  const python = findInterpreter(options.python, context.env.PATH);
  const lockFile = findLockFile(layout, options);
  let requirementFiles: string[];
  if (lockFile !== undefined) {
    const probe = context.runner.capture([python.path, '-c', MARKER_ENVIRONMENT_PROBE], {
      env: childEnvironment(context.env).env,
    });
    const environment = JSON.parse(probe) as MarkerEnvironment;
    const dir = join(work, 'locks', packageName);
    mkdirSync(dir, { recursive: true });
    const marked = { environment, extras: options.extras, groups: options.lockGroups };
    requirementFiles = [writeLockedRequirements(lockFile, marked, dir)];
  } else {
    const path = requirementsPath(layout, options);
    requirementFiles = path === undefined ? [] : [path];
  }
  const project = !options.skipInstall;
  const constraints = buildConstraintFiles(layout, options, join(work, 'build-constraints', packageName));
  const specs = [
    ...(project ? [projectTarget(options.extras)] : []),
    ...options.preinstall,
    ...upgradeRequirements(options),
    ...context.options.include,
  ];
  return {
    packageName,
    sourceDir: layout.sourceDir,
    requirementFiles,
    specs,
    project,
    python,
    uv: options.installer === 'uv',
    ...(constraints === undefined ? {} : { buildConstraints: constraints.forPip }),
  };
}

/** The inputs of every package the build acts on, each with its own debian/<package>.dh-virtualenv. */
function allInputs(context: VendorContext, options: Options, work: string): PackageInputs[] {
  const build = {
    options,
    runner: context.runner,
    logger: context.logger,
    hostEnv: context.env,
    cwd: context.packageDir,
  };
  const packages = selectPackages(options, context.runner, context.env, context.packageDir);
  if (packages.length === 0) {
    throw new ConfigurationError('debian/control has no binary package dh_virtualenv would build a venv for');
  }
  const inputs = optionsOfPackages(build, packages).map(({ packageName, options: own }) =>
    packageInputs(context, packageName, own, work),
  );
  const interpreters = [...new Set(inputs.map((input) => input.python.realPath))];
  if (interpreters.length > 1) {
    throw new UsageError(
      `the packages are built with different interpreters (${interpreters.join(', ')}); one wheelhouse holds ` +
        'the files of one, so vendor and build them from separate source packages, or use one --python',
    );
  }
  return inputs;
}

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

/** Python version and platform the wheels are chosen for, as the interpreter reports them. */
function probeTarget(context: VendorContext, python: Interpreter): { python: string; platform: string } {
  const probe =
    'import sys, sysconfig; print("%d.%d" % sys.version_info[:2]); print(sysconfig.get_platform())';
  const output = context.runner.capture([python.path, '-c', probe], {
    env: childEnvironment(context.env).env,
  });
  const [version = '', platform = ''] = output.split('\n').map((line) => line.trim());
  return { python: version, platform };
}

export function runVendor(context: VendorContext): void {
  const { options, packageDir } = context;
  if (!existsSync(join(packageDir, 'debian', 'control'))) {
    throw new ConfigurationError(
      `no debian/control in ${packageDir}: run "dh-virtualenv vendor" in the top directory of the source ` +
        'package ("dh-virtualenv init" writes a debian/ for a project that has none)',
    );
  }
  const previous = readLock(packageDir);
  const unknown = unknownUpgrades(previous, options.upgrade);
  if (unknown.length > 0) {
    throw new UsageError(
      `--upgrade ${unknown.join(', ')}: not in ${LOCK_FILE}, so there is nothing to move; check the name ` +
        '(a new requirement is vendored without --upgrade)',
    );
  }
  const work = mkdtempSync(join(tmpdir(), 'dh-virtualenv-vendor-'));
  try {
    const given = buildOptions(context);
    const inputs = allInputs(context, given, work);
    const python = inputs[0]?.python ?? findInterpreter(given.python, context.env.PATH);
    const index = indexArguments(given.indexUrl, given.extraIndexUrls);
    const fetched = fetchAll(context, { inputs, previous, work, python, index });
    const next: WheelhouseLock = { ...probeTarget(context, python), files: fetched };
    updateWheelhouse(context, join(work, 'files'), previous, next);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface FetchRun {
  readonly inputs: readonly PackageInputs[];
  readonly previous: WheelhouseLock | undefined;
  /** The temporary directory of this run. */
  readonly work: string;
  readonly python: Interpreter;
  /** The index options as pip's words and variables (credentials.ts). */
  readonly index: { readonly args: readonly string[]; readonly env: Readonly<Record<string, string>> };
}

/**
 * Fetches what the builds install, then what building needs: each project's declared build requirements,
 * then, round by round, whatever an offline run from the files so far says is missing. Returns the files.
 */
function fetchAll(context: VendorContext, run: FetchRun): LockedFile[] {
  const { options } = context;
  const { inputs, previous, work, python, index } = run;
  const files = join(work, 'files');
  mkdirSync(files);
  const locked = lockConstraints(previous, options.upgrade);
  const wheelhouse = join(context.packageDir, WHEELHOUSE_DIR);
  let constraintFiles = 0;
  /** Where to fetch from: the index (and the files vendored before), or only the files fetched so far. */
  const sourceOf = (input: PackageInputs, run: DownloadRun, online: boolean): DownloadSource => {
    const pins = [...(online && !run.hashed ? locked : []), ...run.pins];
    const pinned = join(work, `constraints-${++constraintFiles}.txt`);
    writeFileSync(pinned, pins.map((pin) => `${pin}\n`).join(''));
    const constraints = [
      ...(pins.length > 0 ? [pinned] : []),
      ...(input.buildConstraints !== undefined && !run.hashed ? [input.buildConstraints] : []),
    ];
    const findLinks = online ? (existsSync(wheelhouse) ? [wheelhouse] : []) : [files];
    return { online, findLinks, constraints };
  };
  const env = { ...childEnvironment(context.env).env, ...index.env };
  const pip = [python.path, pipFromWheel()];
  const download = (what: string, input: PackageInputs, run: DownloadRun): void => {
    note(context, `${input.packageName}: ${what}`);
    const argv = downloadArgv(pip, files, run.inputs, sourceOf(input, run, true), index.args);
    keepingSourceTree(input.sourceDir, () => context.runner.run(argv, { env, cwd: input.sourceDir }));
    keepLockedCopies(context, files, previous);
  };
  const runsOf = (input: PackageInputs): DownloadRun[] =>
    downloadRuns(input, new Map(input.requirementFiles.map((path) => [path, readFileSync(path, 'utf8')])));
  const only = (specs: string[]): DownloadRun => ({
    inputs: { requirementFiles: [], specs },
    hashed: false,
    pins: [],
  });

  for (const input of inputs) {
    for (const run of runsOf(input)) download(`fetching ${describeInputs(input, run.inputs)}`, input, run);
  }
  const forInstall = new Set(readdirSync(files));
  for (const input of inputs.filter((candidate) => candidate.project)) {
    const needs = projectBuildRequirements(input.sourceDir);
    if (needs.length > 0)
      download(`fetching the project's build requirements: ${needs.join(' ')}`, input, only(needs));
  }
  const uvUser = inputs.find((input) => input.uv);
  if (uvUser !== undefined) {
    const wanted = uvRequirement(context, previous);
    download(`fetching ${wanted} for --installer uv`, uvUser, only([wanted]));
  }
  const check = join(work, 'check');
  for (const input of inputs) {
    for (const run of runsOf(input)) {
      for (let round = 1; ; round++) {
        note(context, `${input.packageName}: checking that the files fetched build without an index`);
        const argv = downloadArgv(pip, check, run.inputs, sourceOf(input, run, false), []);
        // As in the build, the build constraints reach the pip that sets up each isolated build.
        const checkEnv =
          input.buildConstraints === undefined ? env : { ...env, PIP_CONSTRAINT: input.buildConstraints };
        const missing = offlineCheck(context, argv, check, input.sourceDir, checkEnv);
        if (missing === undefined) break;
        if (round === MAX_ROUNDS) {
          throw new ConfigurationError(
            `still missing ${missing} after ${MAX_ROUNDS} rounds of fetching what builds need; add it with --include`,
          );
        }
        download(`fetching ${missing}, which a build asks for`, input, only([missing]));
      }
    }
  }
  return readdirSync(files)
    .filter(isDistributionFile)
    .map((file): LockedFile => {
      const distribution = distributionOf(file);
      if (distribution === undefined) {
        throw new ConfigurationError(
          `pip fetched ${file}, whose name says no name and version; vendor it by hand`,
        );
      }
      return {
        ...distribution,
        file,
        sha256: sha256Of(join(files, file)),
        use: forInstall.has(file) ? 'install' : 'build',
      };
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

/**
 * Makes debian/wheelhouse hold exactly the files of `next`: new ones copied in, those no longer needed
 * removed (distribution files only: anything else there is the user's), and lock.toml written last, and only
 * when its text changes.
 */
function updateWheelhouse(
  context: VendorContext,
  fetchedDir: string,
  previous: WheelhouseLock | undefined,
  next: WheelhouseLock,
): void {
  const dir = join(context.packageDir, WHEELHOUSE_DIR);
  mkdirSync(dir, { recursive: true });
  const wanted = new Map(next.files.map((entry) => [entry.file, entry]));
  let written = 0;
  for (const entry of next.files) {
    const path = join(dir, entry.file);
    if (existsSync(path) && sha256Of(path) === entry.sha256) continue;
    const partial = join(dir, `.${entry.file}.partial`);
    copyFileSync(join(fetchedDir, entry.file), partial);
    renameSync(partial, path);
    written++;
  }
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (isDistributionFile(name) && !wanted.has(name)) {
      rmSync(join(dir, name));
      removed++;
    }
  }
  if (written + removed > 0)
    note(context, `${WHEELHOUSE_DIR}: ${written} file(s) written, ${removed} removed`);
  const lockPath = join(context.packageDir, LOCK_FILE);
  const text = renderLock(next);
  const changes = describeChanges(previous, next);
  if (existsSync(lockPath) && readFileSync(lockPath, 'utf8') === text) {
    note(context, `${WHEELHOUSE_DIR}: unchanged (${next.files.length} files)`);
    return;
  }
  writeFileSync(lockPath, text);
  note(
    context,
    `${LOCK_FILE}: ${next.files.length} files; ${changes.length === 0 ? 'the same distributions' : 'changes:'}`,
  );
  for (const line of changes) note(context, `  ${line}`);
}
